package ttlcalc

import (
	"errors"
	"fmt"
)

// Errors returned by ttlcalc. Match them with errors.Is; a [*FieldError]
// also says which field of a population or change is wrong.
var (
	// ErrDuration: a duration is not one ParseDuration reads. Fix the text.
	ErrDuration = errors.New("ttlcalc: bad duration")
	// ErrPopulation: a population (a preset name, its JSON, or its values)
	// is not usable. The error names the field; fix it and try again.
	ErrPopulation = errors.New("ttlcalc: bad population")
	// ErrChange: a change has a missing, contradictory or out-of-range
	// value. The error names the field.
	ErrChange = errors.New("ttlcalc: bad change")
	// ErrQuantile: a quantile is outside [0, 1], or is never reached (the
	// population has no time to 100%, see [Model.Bound]).
	ErrQuantile = errors.New("ttlcalc: bad quantile")
)

// FieldError is a bad value, with the path of the field that holds it:
// "classes[2].floor" in a population, "lowered_ttl" in a change. Paths use
// the JSON field names.
type FieldError struct {
	Field string // the JSON path of the field, empty for the whole input
	Msg   string // what is wrong
	Err   error  // ErrPopulation or ErrChange
}

// Error implements error.
func (e *FieldError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%v: %s", e.Err, e.Msg)
	}
	return fmt.Sprintf("%v: %s: %s", e.Err, e.Field, e.Msg)
}

// Unwrap returns the sentinel, for errors.Is.
func (e *FieldError) Unwrap() error { return e.Err }

func popErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...), Err: ErrPopulation}
}

func changeErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...), Err: ErrChange}
}
