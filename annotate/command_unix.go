//go:build unix

package annotate

import (
	"os/exec"
	"syscall"
)

// extOwnGroup makes cmd the leader of a new process group and its cancellation a kill of
// that whole group, so that a timeout also ends the processes the command started
// (a shell's children, a model server's workers), not only the command itself.
func extOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// extKillGroup kills what is left of the process group led by pid once the command has
// ended. The group's id cannot be handed to another group while a member lives, so this
// reaches only what the command left behind; an empty group is not an error.
func extKillGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}
