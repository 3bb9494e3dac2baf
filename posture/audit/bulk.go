//go:build !js

package audit

import (
	"context"
	"encoding/json"
	"iter"
	"sync"
)

// DefaultConcurrency is the number of domains RunAll audits at once when
// asked for fewer than one. An audit mostly waits for DNS and HTTPS
// replies, so more audits than CPUs run well.
const DefaultConcurrency = 8

// Result is the outcome of auditing one domain of many: a report, or the
// error that kept the domain from being audited (a name that is not a
// domain, an audit cut short).
type Result struct {
	// Index is the position of the domain in the input, from 0.
	Index int
	// Domain is the name as it was given.
	Domain string
	Report *Report
	Err    error
}

// MarshalJSON encodes a result as its report or, for an error, as
// {"domain": ..., "error": ...}: one JSON object per domain, for a stream
// of JSON lines.
func (r Result) MarshalJSON() ([]byte, error) {
	if r.Err != nil || r.Report == nil {
		return json.Marshal(struct {
			Domain string `json:"domain"`
			Error  string `json:"error"`
		}{r.Domain, r.errText()})
	}
	return json.Marshal(r.Report)
}

// RunAll audits each domain of domains, at most concurrency at once
// (DefaultConcurrency when less than 1), and calls emit with each result
// as soon as its audit ends: in the order they finish, not the order given,
// and from one goroutine at a time, so emit can write to a stream without
// locking. Each audit is a [Run] with opts, its own cache and its own
// deadline (opts.Timeout). A domain that cannot be audited gives a Result
// with Err; the others go on.
//
// domains is read as audits start, so it may be a long stream. When ctx
// ends, RunAll stops taking domains, reports the audits in flight as
// errors, and returns ctx.Err() without waiting for domains to yield
// again (the goroutine reading it ends when it does); otherwise it returns
// nil once every domain has been emitted.
func RunAll(ctx context.Context, domains iter.Seq[string], opts Options, concurrency int, emit func(Result)) error {
	return runAll(ctx, domains, opts, concurrency, emit, groups)
}

// runAll is RunAll with the given groups of checks, for tests.
func runAll(ctx context.Context, domains iter.Seq[string], opts Options, concurrency int, emit func(Result), groups []group) error {
	if concurrency < 1 {
		concurrency = DefaultConcurrency
	}
	type job struct {
		index  int
		domain string
	}
	jobs := make(chan job)
	results := make(chan Result)

	var workers sync.WaitGroup
	for range concurrency {
		workers.Go(func() {
			for {
				var j job
				var ok bool
				select {
				case j, ok = <-jobs:
				case <-ctx.Done():
				}
				if !ok {
					return
				}
				rep, err := run(ctx, j.domain, opts, groups)
				if err == nil && ctx.Err() != nil {
					// Cut short: the report would be a list of
					// checks that could not run.
					rep, err = nil, context.Cause(ctx)
				}
				results <- Result{Index: j.index, Domain: j.domain, Report: rep, Err: err}
			}
		})
	}
	// The feeder pulls the domains one at a time, as workers are free.
	go func() {
		defer close(jobs)
		i := 0
		for d := range domains {
			select {
			case jobs <- job{i, d}:
			case <-ctx.Done():
				return
			}
			i++
		}
	}()
	go func() {
		workers.Wait()
		close(results)
	}()
	for r := range results {
		emit(r)
	}
	return ctx.Err()
}
