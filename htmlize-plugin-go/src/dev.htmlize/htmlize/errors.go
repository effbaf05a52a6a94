package htmlize

import (
	"errors"
	"fmt"
	"runtime/debug"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// RoleError is a role value the page's author must fix: the build fails with its message, reported at the
// occurrence's page and line. Make one with RoleErrorf (in ProcessRole) or RoleErrorAt (in ProcessRoles); the SDK
// finds it with errors.As, so it may be wrapped.
type RoleError struct {
	// Message says what is wrong, for the page's author (the build adds the plugin, the page and the line).
	Message string
	// Index is the occurrence's index in the roles given to ProcessRoles, or -1 when not known (RoleErrorf, in
	// ProcessRole, where the SDK knows which occurrence it was rendering).
	Index int
}

// Error returns the message.
func (e *RoleError) Error() string {
	return e.Message
}

// RoleErrorf returns a *RoleError with the formatted message, for ProcessRole: the SDK blames the occurrence it
// was rendering.
func RoleErrorf(format string, args ...interface{}) error {
	return &RoleError{Message: fmt.Sprintf(format, args...), Index: -1}
}

// RoleErrorAt returns a *RoleError with the formatted message that blames the occurrence at index in the roles
// given to ProcessRoles.
func RoleErrorAt(index int, format string, args ...interface{}) error {
	return &RoleError{Message: fmt.Sprintf(format, args...), Index: index}
}

// failure is a failed call or page: the error and the index of the occurrence to blame (-1 for none).
type failure struct {
	err   error
	index int
}

// panicError is a panic of the plugin's code, recovered so that it fails the page, not the plugin.
type panicError struct {
	value interface{}
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// protect runs work, turning a panic into a *panicError.
func protect(work func() error) (err error) {
	defer func() {
		if value := recover(); value != nil {
			err = &panicError{value: value, stack: debug.Stack()}
		}
	}()
	return work()
}

// describe is what the host gets for an error, with the codes the Java SDK answers: INVALID_ARGUMENT and the
// message for a RoleError or an INVALID_ARGUMENT status (the SDK's refusal of a role it does not have), else
// INTERNAL and the error's text. Other codes of a status the plugin's code passes on are not passed to the host,
// which reads meaning into some (DEADLINE_EXCEEDED, UNAVAILABLE).
func describe(err error) (codes.Code, string) {
	var role *RoleError
	if errors.As(err, &role) {
		return codes.InvalidArgument, err.Error()
	}
	if s, ok := status.FromError(err); ok && s.Code() != codes.OK {
		if s.Code() == codes.InvalidArgument {
			return codes.InvalidArgument, s.Message()
		}
		return codes.Internal, s.Message()
	}
	return codes.Internal, err.Error()
}

// isRoleError tells a value the author must fix (logged at debug) from a failure of the plugin (logged as an error).
func isRoleError(err error) bool {
	var role *RoleError
	return errors.As(err, &role)
}
