//go:build !js

package audit

import (
	"context"
	"errors"
	"fmt"

	"github.com/posturekit/posturekit/internal/dnsclient"
)

// couldNotRun is the check for a lookup or connection that failed: status
// Error, never a missing record.
func couldNotRun(id, area, what string, err error) Check {
	msg := fmt.Sprintf("could not check %s: %v", what, err)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("could not check %s: the audit's time ran out", what)
	}
	return Check{ID: id, Area: area, Status: Error, Message: msg, Evidence: []string{}}
}

// notFound reports whether err says that the name or record does not
// exist, as opposed to a lookup that failed.
func notFound(err error) bool { return dnsclient.IsNotFound(err) }
