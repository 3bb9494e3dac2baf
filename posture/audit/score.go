//go:build !js

package audit

// score sets the report's area scores, overall score and grade.
// TODO(helper C1): Internet.nl-style weights, documented in the README.
func score(r *Report) {
	for _, area := range []string{AreaMail, AreaDNS, AreaWeb} {
		var got, max float64
		for _, c := range r.Checks {
			if c.Area != area {
				continue
			}
			switch c.Status {
			case Pass:
				got, max = got+1, max+1
			case Warn:
				got, max = got+0.5, max+1
			case Fail:
				max++
			}
		}
		s := 100
		if max > 0 {
			s = int(100*got/max + 0.5)
		}
		r.Areas = append(r.Areas, AreaScore{Name: area, Score: s})
	}
	total := 0
	for _, a := range r.Areas {
		total += a.Score
	}
	r.Score = total / len(r.Areas)
	r.Grade = "?"
}
