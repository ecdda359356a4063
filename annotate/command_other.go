//go:build !unix

package annotate

import "os/exec"

// extOwnGroup leaves cmd as it is: without process groups only the command itself can be
// killed (exec.CommandContext's default).
func extOwnGroup(cmd *exec.Cmd) {}

// extKillGroup has no group to kill.
func extKillGroup(pid int) {}
