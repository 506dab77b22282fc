// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: stdin as the serial port's input, and the signals that stop a run.
 *
 * A terminal on stdin is put in raw mode, so that the guest sees every
 * key as it is typed, and is put back however vmrun ends. ISIG stays on
 * with only the interrupt character (Ctrl-C) active: Ctrl-C stops vmrun,
 * every other key goes to the guest.
 *
 * Stopping follows the run struct's contract: a handler notes the signal
 * and sets run->immediate_exit. A signal during RUN makes it return EINTR
 * at once; one that lands between two RUNs makes the next RUN return
 * EINTR before entering the guest. Either way the loop sees it promptly.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>

#include "vmrun.h"

static struct termios saved;
static bool raw;
static bool input;			/* stdin is a terminal or a pipe */

static volatile sig_atomic_t stop_signal;
static struct tinyvmx_run *volatile signal_run;

int term__init(void)
{
	struct termios t;
	struct stat st;

	if (fstat(STDIN_FILENO, &st))
		return 0;		/* no stdin: no input */
	if (!isatty(STDIN_FILENO)) {
		input = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
		return 0;
	}
	if (tcgetattr(STDIN_FILENO, &saved))
		return -errno;
	t = saved;
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
		       ICRNL | IXON | IXOFF);
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
	t.c_cc[VQUIT] = _POSIX_VDISABLE;	/* no core dump in raw mode */
	t.c_cc[VSUSP] = _POSIX_VDISABLE;	/* no stop with the tty raw */
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t))
		return -errno;
	raw = true;
	input = true;
	atexit(term__restore);
	return 0;
}

void term__restore(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	raw = false;
}

int term__read(uint8_t *buf, int len)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	ssize_t n;

	if (!input || len <= 0)
		return input ? 0 : -1;
	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	n = read(STDIN_FILENO, buf, len);
	if (n == 0) {
		input = false;	/* end of file: the line stays quiet */
		return -1;
	}
	return n < 0 ? 0 : n;
}

static void on_signal(int sig)
{
	struct tinyvmx_run *run = signal_run;

	if (!stop_signal)
		stop_signal = sig;
	if (run)
		run->immediate_exit = 1;
}

int term__signals(struct tinyvmx_run *run, double timeout)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGALRM };
	struct sigaction sa;
	struct itimerval it = { 0 };
	unsigned int i;

	signal(SIGPIPE, SIG_IGN);	/* a closed stdout is not fatal */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: RUN must return */
	sigemptyset(&sa.sa_mask);
	signal_run = run;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	if (timeout > 0) {
		it.it_value.tv_sec = (time_t)timeout;
		it.it_value.tv_usec = (suseconds_t)((timeout - (time_t)timeout) * 1e6);
		if (!it.it_value.tv_sec && !it.it_value.tv_usec)
			it.it_value.tv_usec = 1;
		if (setitimer(ITIMER_REAL, &it, NULL))
			return -errno;
	}
	return 0;
}

int term__stop_signal(void)
{
	return stop_signal;
}
