# posturekit: the page needs a build step; everything else is plain go.
#   make web     build the offline page into web/dist (then go build again:
#                "posturekit serve" embeds it)
#   make serve   build the page and posturekit, and serve it on 127.0.0.1:8080

GO ?= go

.PHONY: web serve
web:
	$(GO) generate ./web/...

serve: web
	$(GO) run ./cmd/posturekit serve
