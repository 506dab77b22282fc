// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun end to end: each bundled example guest (guests/) run through the
 * vmrun binary, checking what it prints and its exit status, so that the
 * whole path is covered: loader, RUN, I/O exit, UART, debug exit. Then the
 * ways a run ends (triple fault, HLT with IF=1, --strict, --timeout,
 * Ctrl-C) on tiny crafted guests, and bad images, which vmrun must refuse
 * with one line and status 4 (those need no /dev/tinyvmx).
 *
 * The guest images are embedded in this binary at build time and written
 * to a scratch directory; vmrun is found on PATH (/tinyvmx/bin in the test
 * machine) or next to the selftests in the source tree.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"

#define EMBED(sym, file)						\
	__asm__(".pushsection .rodata\n"				\
		".balign 16\n"						\
		".globl " #sym "_start\n" #sym "_start:\n"		\
		".incbin \"" file "\"\n"				\
		".globl " #sym "_end\n" #sym "_end:\n"			\
		".popsection\n");					\
	extern const char sym##_start[], sym##_end[]

EMBED(hello, "../guests/hello.bin");
EMBED(echo, "../guests/echo.bin");
EMBED(protected, "../guests/protected.elf");
EMBED(long64, "../guests/long.elf");
EMBED(multiboot, "../guests/multiboot.elf");

#define OUT_MAX		16384

struct result {
	int status;		/* exit status, or 128 + signal */
	char out[OUT_MAX], err[OUT_MAX];
	double seconds;
};

/* A scratch directory, made before the tests fork and removed after. */
static char dir[64];
static pid_t dir_owner;

__attribute__((constructor))
static void make_dir(void)
{
	strcpy(dir, "/tmp/vmrun_test.XXXXXX");
	if (!mkdtemp(dir))
		strcpy(dir, "/tmp");
	dir_owner = getpid();
}

__attribute__((destructor))
static void remove_dir(void)
{
	char cmd[96];

	if (getpid() != dir_owner || !strcmp(dir, "/tmp"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", dir);
}

/*
 * Write @len bytes to dir/@name; returns the path. Each test runs in its
 * own process, so the file names only need to differ within a test.
 */
static const char *put_file(const char *name, const void *data, size_t len)
{
	static char paths[16][128];
	static unsigned int n;
	char *path = paths[n++ % 16];
	FILE *f;

	snprintf(path, 128, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

#define GUEST(sym, name)	put_file(name, sym##_start, sym##_end - sym##_start)

static void slurp(const char *path, char *buf)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, OUT_MAX - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* PATH, with the source tree's vmrun as a fallback. */
static void set_path(void)
{
	char self[256], path[1024];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s:%s/../tools/vmrun", getenv("PATH") ?: "/bin", self);
	setenv("PATH", path, 1);
}

/*
 * Run vmrun with @argv (NULL-terminated, without "vmrun"), @input on its
 * stdin (a pipe) when not NULL; send SIGINT after @sigint_after seconds
 * when that is above 0.
 */
static void vmrun(struct result *r, const char *input, double sigint_after,
		  const char *const *argv)
{
	char out[96], err[96];
	const char *args[32] = { "vmrun" };
	struct timespec t0, t1;
	int in[2], status, i;
	pid_t pid;

	for (i = 0; argv[i] && i < 30; i++)
		args[i + 1] = argv[i];
	args[i + 1] = NULL;
	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	set_path();
	if (pipe(in))
		abort();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (!pid) {
		dup2(in[0], 0);
		close(in[1]);
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(99);
		execvp("vmrun", (char **)args);
		fprintf(stderr, "exec vmrun: %s\n", strerror(errno));
		_exit(98);
	}
	close(in[0]);
	if (input && write(in[1], input, strlen(input)) < 0)
		abort();
	close(in[1]);
	if (sigint_after > 0) {
		usleep(sigint_after * 1e6);
		kill(pid, SIGINT);
	}
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	slurp(out, r->out);
	slurp(err, r->err);
}

#define VMRUN(r, ...)	vmrun(r, NULL, 0, (const char *const[]){ __VA_ARGS__, NULL })

#define NEED_DEVICE()							\
	do {								\
		if (access("/dev/tinyvmx", R_OK | W_OK))		\
			SKIP(return, "no /dev/tinyvmx (module not loaded, or no VMX)"); \
	} while (0)

#define ASSERT_HAS(hay, needle)						\
	ASSERT_NE(NULL, strstr(hay, needle))				\
		TH_LOG("'%s' not in:\n%s", needle, hay)

#define LOG_RUN(r)	TH_LOG("status %d\nstdout:\n%s\nstderr:\n%s", (r)->status, (r)->out, (r)->err)

/* A variant's options (up to @max, NULL-terminated) into @argv; how many. */
static int copy_opts(const char **argv, const char *const *opt, int max)
{
	int n;

	for (n = 0; n < max && opt[n]; n++)
		argv[n] = opt[n];
	return n;
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- The example guests ---------------------------------------------------- */

FIXTURE(example) {};
FIXTURE_SETUP(example) { NEED_DEVICE(); }
FIXTURE_TEARDOWN(example) {}

/*
 * One bundled guest run through vmrun: @opt, then the image; @input on
 * its stdin. It must end with @status and print exactly @out, and @err
 * (when set) among its messages.
 */
FIXTURE_VARIANT(example) {
	const char *start, *end, *file;
	const char *opt[3];
	const char *input;
	int status;
	const char *out, *err;
};

#define EXAMPLE(name, sym, file_, ...)					\
	FIXTURE_VARIANT_ADD(example, name) {				\
		.start = sym##_start, .end = sym##_end, .file = file_,	\
		__VA_ARGS__						\
	}

EXAMPLE(hello, hello, "hello.bin",
	.out = "Hello from a real-mode guest on tinyvmx!\n",
	.err = "halted (HLT with interrupts disabled)");
EXAMPLE(protected_mode_elf32, protected, "protected.elf", .status = 33,
	.out = "Hello from 32-bit protected mode (ELF32)!\nmemory above 1 MiB: ok\n",
	.err = "debug-exit port 0xf4: exit status 33");
EXAMPLE(long_mode_elf64, long64, "long.elf",
	.out = "Hello from 64-bit long mode (ELF64)!\n64-bit registers: ok\n"
	       "port 0xe9 says hello too\n");
EXAMPLE(uart_input_from_a_pipe, echo, "echo.bin", .opt = { "--timeout", "60" },
	.input = "ping tinyvmx\n", .out = "PING TINYVMX\n");

TEST_F(example, runs)
{
	const char *argv[5] = { NULL };
	int n = copy_opts(argv, variant->opt, 3);
	struct result r;

	argv[n] = put_file(variant->file, variant->start, variant->end - variant->start);
	vmrun(&r, variant->input, 0, argv);
	ASSERT_EQ(variant->status, r.status) LOG_RUN(&r);
	ASSERT_STREQ(variant->out, r.out);
	if (variant->err)
		ASSERT_HAS(r.err, variant->err);
}

TEST(multiboot)
{
	const char *mb, *mod;
	struct result r;
	char want[256], modarg[160];

	NEED_DEVICE();
	mb = GUEST(multiboot, "multiboot.elf");
	mod = put_file("initrd.img", "0123456789", 10);
	snprintf(modarg, sizeof(modarg), "%s,root=/dev/ram0 quiet", mod);
	VMRUN(&r, "--cmdline", "console=ttyS0 hello", "--module", modarg, "-m", "64M", mb);
	ASSERT_EQ(1, r.status) LOG_RUN(&r);
	ASSERT_HAS(r.out, "multiboot: magic 0x2badb002\n");
	ASSERT_HAS(r.out, "multiboot: flags 0x0000024d mem_lower 0x0000027f mem_upper 0x0000fc00\n");
	ASSERT_HAS(r.out, "multiboot: memory map entries 0x00000004\n");
	snprintf(want, sizeof(want), "multiboot: cmdline '%s console=ttyS0 hello'\n", mb);
	ASSERT_HAS(r.out, want);
	ASSERT_HAS(r.out, "multiboot: modules 0x00000001\n");
	snprintf(want, sizeof(want), "multiboot: module '%s root=/dev/ram0 quiet' size 0x0000000a\n", mod);
	ASSERT_HAS(r.out, want);
}

/* ---- Reporting --------------------------------------------------------------- */

TEST(trace_stats_regs)
{
	struct result r;

	NEED_DEVICE();
	VMRUN(&r, "--trace", "--stats", "--regs", GUEST(hello, "hello.bin"));
	ASSERT_EQ(0, r.status) LOG_RUN(&r);
	/* 6 OUTs to set up the UART, then per character an IN and an OUT. */
	ASSERT_HAS(r.err, "IO_INSTRUCTION port 0x3fb size 1 out string 0 rep 0 data 0x80\n");
	ASSERT_HAS(r.err, "IO_INSTRUCTION port 0x3fd size 1 in string 0 rep 0 data 0x60\n");
	ASSERT_HAS(r.err, "IO_INSTRUCTION port 0x3f8 size 1 out string 0 rep 0 data 0x48\n");
	ASSERT_HAS(r.err, " HLT\n");
	ASSERT_HAS(r.err, "stats:   30 IO_INSTRUCTION");
	ASSERT_HAS(r.err, "stats:   12 HLT");
	ASSERT_HAS(r.err, " RAM pages mapped on the guest's first touch\n");
	ASSERT_HAS(r.err, "registers:");
	ASSERT_HAS(r.err, "vmrun:   rip 0x");
	ASSERT_HAS(r.err, "vmrun:   cs  sel 0x0000 base 0x0000000000000000");
}

/* ---- How a run ends, on crafted guests ------------------------------------- */

/*
 * A few bytes of guest code (real mode unless @opt says otherwise) that
 * end the run one way: vmrun's status, and what it must say.
 */
FIXTURE(crafted) {};
FIXTURE_SETUP(crafted) { NEED_DEVICE(); }
FIXTURE_TEARDOWN(crafted) {}

FIXTURE_VARIANT(crafted) {
	const char *opt[2];
	const char *code;
	size_t len;
	int status;
	const char *err[2];
};

/* No IDT: #UD, #GP, #DF, shutdown. */
FIXTURE_VARIANT_ADD(crafted, triple_fault) {
	{ "--mode", "protected" }, "\x0f\x0b", 2, 8,		/* ud2 */
	{ "triple fault (SHUTDOWN)", "registers:" },
};
FIXTURE_VARIANT_ADD(crafted, hlt_with_interrupts_enabled) {
	{ NULL }, "\xfb\xf4", 2, 14,				/* sti; hlt */
	{ "halted with interrupts enabled" },
};
FIXTURE_VARIANT_ADD(crafted, debug_exit_value) {
	{ NULL }, "\xb0\x05\xe6\xf4", 4, 11,		/* mov $5, %al; out %al, $0xf4 */
	{ NULL },
};

TEST_F(crafted, ends)
{
	const char *argv[4] = { NULL };
	int n = copy_opts(argv, variant->opt, 2), i;
	struct result r;

	argv[n] = put_file("crafted.bin", variant->code, variant->len);
	vmrun(&r, NULL, 0, argv);
	ASSERT_EQ(variant->status, r.status) LOG_RUN(&r);
	for (i = 0; i < 2 && variant->err[i]; i++)
		ASSERT_HAS(r.err, variant->err[i]);
}

TEST(unclaimed_port)
{
	/*
	 * in $0xe0, %al; out %al, $0xf4: all ones come back, exit 0xff.
	 * (Port 0x80 is the POST device's now; 0xe0 has nothing on a PC.)
	 */
	const char *img = put_file("porte0.bin", "\xe4\xe0\xe6\xf4", 4);
	struct result r;

	NEED_DEVICE();
	VMRUN(&r, "--verbose", img);
	ASSERT_EQ(0xff, r.status) LOG_RUN(&r);
	ASSERT_HAS(r.err, "unclaimed port 0xe0");
	VMRUN(&r, "--strict", img);
	ASSERT_EQ(12, r.status) LOG_RUN(&r);
	ASSERT_HAS(r.err, "--strict: the guest read port 0xe0");
}

/*
 * A guest that never stops: "1: in $0x80, %al; jmp 1b". It exits to
 * vmrun on every pass, so these tests cover vmrun's side of stopping
 * (signal, immediate_exit, EINTR). A loop without exits depends on the
 * module leaving the guest on host interrupts, which selftests of the
 * module cover.
 */
#define SPIN_IO		"\xe4\x80\xeb\xfc"

/*
 * Timers here are short on purpose: in the test machine (Bochs, clock
 * sync=none) a busy CPU's guest time runs at one TSC tick (1/3.5 GHz) per
 * emulated instruction, about 200 times slower than the wall clock, so a
 * 1 s timer over a spinning guest takes minutes.
 */
TEST(timeout)
{
	struct result r;

	NEED_DEVICE();
	VMRUN(&r, "--timeout", "0.02", "-m", "16M", put_file("spin.bin", SPIN_IO, 4));
	ASSERT_EQ(124, r.status) LOG_RUN(&r);
	ASSERT_HAS(r.err, "timeout");
	ASSERT_LT(r.seconds, 20);
}

TEST(ctrl_c)
{
	const char *argv[] = { "-m", "16M", put_file("spin.bin", SPIN_IO, 4), NULL };
	struct result r;

	NEED_DEVICE();
	vmrun(&r, NULL, 0.02, argv);
	ASSERT_EQ(130, r.status) LOG_RUN(&r);
	ASSERT_HAS(r.err, "stopped by Ctrl-C (SIGINT)");
	ASSERT_LT(r.seconds, 20);
}

/* ---- Bad images and usage: no device needed -------------------------------- */

static void refused(struct __test_metadata *_metadata, struct result *r,
		    const char *what)
{
	ASSERT_EQ(4, r->status) LOG_RUN(r);
	ASSERT_EQ(1, lines(r->err)) LOG_RUN(r);
	ASSERT_HAS(r->err, what);
	ASSERT_STREQ("", r->out);
}

/* An image vmrun must refuse (@opt, then the image), and why. */
FIXTURE(bad_image) {};
FIXTURE_SETUP(bad_image) {}
FIXTURE_TEARDOWN(bad_image) {}

FIXTURE_VARIANT(bad_image) {
	const char *opt[4];
	const char *start, *end;	/* NULL: @file is a path to give as is */
	const char *file;
	const char *what;
};

static const char empty[1];
static const char multiboot_bad_sum[12] = "\x02\xb0\xad\x1b";

FIXTURE_VARIANT_ADD(bad_image, truncated) {
	.start = long64_start, .end = long64_start + 100, .file = "cut.elf", .what = "truncated",
};
FIXTURE_VARIANT_ADD(bad_image, too_large) {
	.opt = { "--memory", "1M" },
	.start = protected_start, .end = protected_end, .file = "protected.elf", .what = "too large for guest memory",
};
FIXTURE_VARIANT_ADD(bad_image, overlapping) {
	.opt = { "--mode", "protected", "--load-address", "0x2000" },
	.start = hello_start, .end = hello_end, .file = "hello.bin", .what = "overlapping",
};
FIXTURE_VARIANT_ADD(bad_image, empty) {
	.start = empty, .end = empty, .file = "empty.bin", .what = "empty",
};
FIXTURE_VARIANT_ADD(bad_image, missing) {
	.file = "/nonexistent/kernel.elf", .what = "cannot open",
};
FIXTURE_VARIANT_ADD(bad_image, multiboot_checksum) {
	.opt = { "--format", "multiboot" }, .start = multiboot_bad_sum,
	.end = multiboot_bad_sum + sizeof(multiboot_bad_sum), .file = "badsum.bin", .what = "bad checksum",
};

TEST_F(bad_image, refused)
{
	const char *argv[6] = { NULL };
	int n = copy_opts(argv, variant->opt, 4);
	struct result r;

	argv[n] = variant->start ?
		put_file(variant->file, variant->start, variant->end - variant->start) :
		variant->file;
	vmrun(&r, NULL, 0, argv);
	refused(_metadata, &r, variant->what);
}

TEST(bad_image_malformed)
{
	size_t len = protected_end - protected_start;
	char *copy = malloc(len);
	struct result r;

	memcpy(copy, protected_start, len);
	copy[18] = 40;			/* e_machine: ARM */
	VMRUN(&r, put_file("arm.elf", copy, len));
	free(copy);
	refused(_metadata, &r, "malformed");
}

TEST(usage)
{
	struct result r;

	VMRUN(&r, "--no-such-option");
	ASSERT_EQ(2, r.status) LOG_RUN(&r);
	ASSERT_EQ(1, lines(r.err));
	VMRUN(&r, "--help");
	ASSERT_EQ(0, r.status) LOG_RUN(&r);
	ASSERT_HAS(r.out, "--timeout");
	ASSERT_HAS(r.out, "--module FILE[,ARGS]");
	ASSERT_HAS(r.out, "Exit status:");
}

TEST_HARNESS_MAIN
