#!/usr/bin/env bash
# Compares posturekit webp with cwebp (Debian's webp package) and sharp
# (npm) in one run on this machine, on the same corpus and at the same
# quality, and prints wall time, output bytes and mean SSIM per tool, with
# the ratios to cwebp; then posturekit's re-run over the unchanged tree and
# its peak memory.
#
#   bench/webp.sh            # quality 75, best of 3 runs
#   QUALITY=60 RUNS=5 bench/webp.sh
#
# Every tool uses 2 workers: posturekit --jobs 2; cwebp two at a time
# (xargs -P2); sharp two images at a time on one libvips thread each. The
# corpus is ../shared/corpus/fetch-images.sh's good/ folder, JPEG and PNG
# files only (cwebp cannot read GIF). SSIM is luma SSIM of each WebP
# (decoded by dwebp) against its source (decoded by Go), the same for all.
# Needs Debian's webp, nodejs, npm, bc and time packages (sharp is installed into
# bench/webp/node_modules from the npm registry the first time).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
Q=${QUALITY:-75}
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null || { echo "webp.sh: $1 not found: $2" >&2; exit 2; }; }
need cwebp "apt-get install webp"
need dwebp "apt-get install webp"
need node "apt-get install nodejs npm"
need /usr/bin/time "apt-get install time"
need bc "apt-get install bc"
need webpmux "apt-get install webp"
if [[ ! -d bench/webp/node_modules/sharp ]]; then
	(cd bench/webp && npm install --no-audit --no-fund --silent)
fi

corpus=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/posturekit/image-corpus}
bash ../shared/corpus/fetch-images.sh "$corpus" >/dev/null
mkdir -p "$work/in"
cp "$corpus"/good/*.jpg "$corpus"/good/*.png "$work/in/"
mapfile -t files < <(ls "$work"/in/*)
pixels=$(go run ./imageopt/internal/ssimtool -pixels "${files[@]}")

go build -o "$work/posturekit" ./cmd/posturekit
go build -o "$work/ssimtool" ./imageopt/internal/ssimtool
export UV_THREADPOOL_SIZE=2

# Times come from $EPOCHREALTIME (bash 5): no process started to read the clock.
# run TOOL: converts every file into $work/out-TOOL, prints the seconds.
run() {
	local tool=$1 out="$work/out-$1" t0 t1
	rm -rf "$out"
	mkdir -p "$out"
	t0=$EPOCHREALTIME
	case $tool in
	posturekit)
		# Every file written (--min-saving -100) and no manifest, so
		# that each run encodes everything.
		"$work/posturekit" webp --quality "$Q" --jobs 2 --min-saving -100 --manifest - --out "$out" "$work/in" >/dev/null ;;
	cwebp)
		# (libpng's warnings about the corpus's profiles go to /dev/null.)
		printf '%s\0' "${files[@]}" | xargs -0 -P2 -I{} sh -c 'cwebp -quiet -q "$1" "$2" -o "$3/$(basename "${2%.*}").webp" 2>/dev/null' _ "$Q" {} "$out" ;;
	sharp)
		node bench/webp/sharp.mjs "$Q" "$out" "${files[@]}" ;;
	esac
	t1=$EPOCHREALTIME
	echo "$t1 - $t0" | bc -l
}

tools=(posturekit cwebp sharp)
declare -A best
for ((i = 1; i <= RUNS; i++)); do
	for tool in "${tools[@]}"; do
		s=$(run "$tool")
		if [[ -z ${best[$tool]:-} ]] || (($(echo "$s < ${best[$tool]}" | bc -l))); then best[$tool]=$s; fi
	done
done

declare -A bytes ssim
for tool in "${tools[@]}"; do
	bytes[$tool]=$(cat "$work/out-$tool"/*.webp | wc -c)
	for f in "${files[@]}"; do
		b=$(basename "${f%.*}")
		printf '%s\t%s\n' "$f" "$work/out-$tool/$b.webp"
	done | "$work/ssimtool" >"$work/ssim-$tool.txt"
	ssim[$tool]=$(awk '$1 == "mean" { print $2 }' "$work/ssim-$tool.txt")
done

in_bytes=$(cat "${files[@]}" | wc -c)
echo "corpus: ${#files[@]} JPEG and PNG files, $in_bytes bytes, $pixels; quality $Q; 2 workers each; wall time best of $RUNS"
echo
printf '%-12s %10s %12s %10s %12s %10s %10s\n' tool "wall s" "output B" "% of src" "bytes/cwebp" "mean SSIM" "time/cwebp"
for tool in "${tools[@]}"; do
	printf '%-12s %10.3f %12d %9.1f%% %12.4f %10.4f %10.2f\n' "$tool" "${best[$tool]}" "${bytes[$tool]}" \
		"$(echo "100 * ${bytes[$tool]} / $in_bytes" | bc -l)" \
		"$(echo "${bytes[$tool]} / ${bytes[cwebp]}" | bc -l)" "${ssim[$tool]}" \
		"$(echo "${best[$tool]} / ${best[cwebp]}" | bc -l)"
done

# Files whose SSIM differs between the tools by more than 0.002.
echo
echo "files whose SSIM differs by more than 0.002 (SSIM compares pixel values, not colour-managed:"
echo "posturekit applies page.png's grey profile, sharp converts every profile to sRGB):"
join -t $'\t' <(grep -v '^mean' "$work/ssim-posturekit.txt" | sort) <(grep -v '^mean' "$work/ssim-cwebp.txt" | sort) |
	join -t $'\t' - <(grep -v '^mean' "$work/ssim-sharp.txt" | sort) |
	awk -F'\t' 'function abs(x) { return x < 0 ? -x : x }
		abs($2 - $3) > 0.002 || abs($4 - $3) > 0.002 { printf "  %-24s posturekit %s  cwebp %s  sharp %s\n", $1, $2, $3, $4; n++ }
		END { if (!n) print "  none" }'

# Metadata that posturekit keeps on purpose: non-sRGB colour profiles
# (cwebp drops them; sharp converts the pixels to sRGB instead).
icc=0
for f in "$work/out-posturekit"/*.webp; do
	n=$(webpmux -get icc "$f" -o "$work/icc" >/dev/null 2>&1 && wc -c <"$work/icc" || echo 0)
	icc=$((icc + n))
done
echo
echo "posturekit keeps $icc bytes of non-sRGB ICC profiles that cwebp drops (colour.png's display profile, rocket.jpg's Adobe RGB);"
echo "without them its output is $(echo "(${bytes[posturekit]} - $icc) / ${bytes[cwebp]}" | bc -l | cut -c1-6) of cwebp's bytes."

# The build-script case: default options, a manifest, then the same
# command again over the unchanged tree (best of RUNS first runs and of
# 5 x RUNS re-runs: both include starting the process, about 10 ms here).
first=; again=; inner=
for ((i = 1; i <= RUNS; i++)); do
	site="$work/site$i"
	cp -r "$work/in" "$site"
	t0=$EPOCHREALTIME
	"$work/posturekit" webp --jobs 2 "$site" >/dev/null
	t1=$EPOCHREALTIME
	f=$(echo "$t1 - $t0" | bc -l)
	if [[ -z $first ]] || (($(echo "$f < $first" | bc -l))); then first=$f; fi
	for ((k = 0; k < 5; k++)); do # a re-run is short: more tries against noise
		t1=$EPOCHREALTIME
		"$work/posturekit" webp --jobs 2 --json "$site" >"$work/rerun.json"
		t2=$EPOCHREALTIME
		w=$(awk -F': ' '/"seconds"/ { sub(/,/, "", $2); print $2 }' "$work/rerun.json")
		if [[ -z ${inner:-} ]] || (($(echo "$w < $inner" | bc -l))); then inner=$w; fi
		a=$(echo "$t2 - $t1" | bc -l)
		if [[ -z $again ]] || (($(echo "$a < $again" | bc -l))); then again=$a; fi
	done
done
echo
printf 'posturekit webp over the tree, defaults: first run %.3f s, re-run %.3f s: %.1f%% of the first (%s files encoded);\n' \
	"$first" "$again" "$(echo "100 * $again / $first" | bc -l)" "$(awk -F': ' '/"encoded"/ { sub(/,/, "", $2); print $2 }' "$work/rerun.json")"
printf '  of which the work (hashing and checking every file) %.3f s, the rest starting the process\n' "$inner"

# Peak memory (maximum resident set size) of the whole process: on one
# tiny image (the fixed overhead), on the corpus, and on two 24 MP
# photographs with one worker and with two.
"$work/ssimtool" -make 6000 4000 "$work/big.jpg"
mkdir -p "$work/big" "$work/tiny"
cp "$work/big.jpg" "$work/big/a.jpg"
cp "$work/big.jpg" "$work/big/b.jpg"
cp "$corpus/good/green_palette.png" "$work/tiny/"
rss() { # rss JOBS DIR: peak RSS in MiB
	rm -rf "$work/mem"
	local kb
	kb=$(/usr/bin/time -f %M "$work/posturekit" webp --jobs "$1" --manifest - --out "$work/mem" "$2" 2>&1 >/dev/null | tail -1)
	echo "$kb / 1024" | bc -l
}
base=$(rss 1 "$work/tiny")
c1=$(rss 1 "$work/in"); c2=$(rss 2 "$work/in")
b1=$(rss 1 "$work/big"); b2=$(rss 2 "$work/big")
echo
printf 'posturekit peak RSS: one tiny image %.0f MiB; corpus (largest 2.0 MP) %.0f MiB with 1 job, %.0f MiB with 2;\n' "$base" "$c1" "$c2"
printf '  two 24 MP photos %.0f MiB with 1 job, %.0f MiB with 2 (both at once)\n' "$b1" "$b2"
printf 'per worker: %.0f MiB fixed + %.1f bytes per pixel of its image with 1 job, %.1f with 2 (24 MP: %.0f MiB)\n' \
	"$base" "$(echo "($b1 - $base) * 1048576 / 24000000" | bc -l)" "$(echo "($b2 - $base) * 1048576 / 48000000" | bc -l)" \
	"$(echo "$b1 - $base" | bc -l)"
