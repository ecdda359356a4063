// Command newsds turns news articles into annotated, versioned dataset releases.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], systemIO()))
}

// Exit codes, in one place; every command's help refers to them.
const (
	exitOK          = 0
	exitError       = 1 // an error, or validation found error-level problems
	exitUsage       = 2 // bad flags or arguments; PATH unreadable for validate
	exitPartial     = 3 // finished, but some records were rejected
	exitInterrupted = 130
)

const exitCodesHelp = `Exit codes: 0 ok, 1 error, 2 usage error, 3 finished but some records were rejected, 130 interrupted.`

// exitCodeError carries an exit code chosen by a command through cobra.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitCodeError) Unwrap() error { return e.err }

// usageError marks mistakes in flags or arguments.
func usageError(format string, args ...any) error {
	return &exitCodeError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// withCode returns an error that exits with code, printing err if it is not nil.
func withCode(code int, err error) error { return &exitCodeError{code: code, err: err} }

func run(ctx context.Context, args []string, io *IOStreams) int {
	root := newRootCmd(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitError
	var ce *exitCodeError
	switch {
	case errors.As(err, &ce):
		code = ce.code
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		code = exitInterrupted
	case isCobraUsageError(err):
		code = exitUsage
	}
	if ce == nil || ce.err != nil {
		fmt.Fprintf(io.ErrOut, "newsds: %v\n", err)
	}
	return code
}
