// SPDX-License-Identifier: GPL-2.0
/*
 * bench: exit costs of tinyvmx and of KVM, measured with the same
 * real-mode guest (guest.S) and the same userspace loop.
 *
 *   bench                         both hypervisors, whichever are there
 *   bench --side kvm --save F     one side, saved for a later --report
 *   bench --report [--csv] F...   the table of saved sides
 *
 * Per-exit figures are guest TSC ticks: the guest reads the TSC before
 * and after a loop of N exits and halts with the difference in EDX:EAX.
 * Inside Bochs (clock: sync=none) the TSC counts emulated instructions,
 * so these are path lengths, the same from run to run. VM creation is
 * timed with the host's TSC around the ioctls. See the README's
 * "Performance" section and scripts/bench.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <x86intrin.h>

#include "bench.h"
#include "results.h"

#define MAX_ROUNDS	101
#define MEM_ROUNDS	3
#define RAM_SIZE	(16ull << 20)
#define RAM_SMALL	(64ull << 10)
#define IN_VALUE	0x5a

#define SEG_DATA(b, l, gran) {						\
	.base = (b), .limit = (l), .type = 0x3, .s = 1, .present = 1,	\
	.g = (gran),							\
}

const struct bench_state bench_real_mode = {
	.cs = { .limit = 0xffff, .type = 0xb, .s = 1, .present = 1 },
	.ds = SEG_DATA(0, 0xffff, 0),
	.es = SEG_DATA(0, 0xffff, 0),
	.ss = SEG_DATA(0, 0xffff, 0),
	.fs = SEG_DATA(MMIO_GPA, 0xffff, 0),
	.gs = SEG_DATA(0, 0xffffffff, 1),
	.tr = { .limit = 0xffff, .type = 0xb, .present = 1 },
	.ldt = { .limit = 0xffff, .type = 0x2, .present = 1 },
	.gdt_limit = 0xffff,
	.idt_limit = 0xffff,
	.cr0 = 0x10,
};

/* No measurement takes this long, even in Bochs: a hung guest fails. */
#define TIME_LIMIT	300

static unsigned int exits = 2000, rounds = 5;
static unsigned long only = ~0ul;	/* rows to measure, by bit */
static volatile sig_atomic_t timed_out;
static uint8_t pattern[GUEST_OUT_LEN];
static char err[256];
static int failures;

int bench_fail(char *msg, size_t len, int e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < len)
		snprintf(msg + n, len - n, ": %s", strerror(e));
	return -e;
}

void bench_load_guest(void *hva)
{
	memcpy((char *)hva + GUEST_CODE, bench_guest_start,
	       bench_guest_end - bench_guest_start);
	memcpy((char *)hva + GUEST_OUT_BUF, pattern, sizeof(pattern));
}

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sizeof(err), fmt, ap);
	va_end(ap);
	return -1;
}

static int fail_b(const struct backend *b)
{
	return fail("%s", b->strerror());
}

static uint64_t host_tsc(void)
{
	_mm_lfence();
	return __rdtsc();
}

/* ---- The userspace loop, the same for both sides --------------------- */

struct counts {
	unsigned int out, in, mmio_write, mmio_read;
};

/*
 * RUN until the guest halts, answering each exit at once: an IN or MMIO
 * read gets IN_VALUE, output to PORT_UART goes to @s (when not NULL).
 * With @ring, the hypervisor's ring is drained after every RUN, before the
 * exit is handled, which keeps the bytes in order.
 */
static int run_to_hlt(const struct backend *b, struct bvm *vm, struct counts *c,
		      struct sink *s, int ring)
{
	struct bexit ex;

	for (;;) {
		if (b->run(vm, &ex))
			return fail_b(b);
		if (ring)
			b->drain(vm, s);
		switch (ex.kind) {
		case BX_OUT:
			c->out++;
			if (ex.port != PORT_IO && ex.port != PORT_UART)
				return fail("OUT to unexpected port %#x", ex.port);
			if (s)
				sink_put(s, ex.port, ex.size, ex.data);
			break;
		case BX_IN:
			c->in++;
			if (ex.port != PORT_IO)
				return fail("IN from unexpected port %#x", ex.port);
			b->complete(vm, IN_VALUE);
			break;
		case BX_MMIO_WRITE:
		case BX_MMIO_READ:
			if (ex.gpa != MMIO_GPA || ex.size != 1)
				return fail("MMIO at unexpected address %#llx size %u",
					    (unsigned long long)ex.gpa, ex.size);
			if (ex.kind == BX_MMIO_READ) {
				c->mmio_read++;
				b->complete(vm, IN_VALUE);
			} else {
				c->mmio_write++;
			}
			break;
		case BX_HLT:
			return 0;
		case BX_INTR:
			if (timed_out)
				return fail("no HLT within %d s", TIME_LIMIT);
			break;
		case BX_OTHER:
			return fail("unexpected exit: %s", ex.desc);
		}
	}
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Arm the time limit of one measurement: SIGALRM interrupts RUN. */
static void time_limit(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	timed_out = 0;
	alarm(TIME_LIMIT);
}

static int guest_ticks(const struct backend *b, struct bvm *vm, uint64_t *ticks)
{
	uint64_t rax, rdx;

	if (b->get_rax_rdx(vm, &rax, &rdx))
		return fail_b(b);
	*ticks = (rdx << 32) | (uint32_t)rax;
	return 0;
}

/* ---- Per-exit loops ------------------------------------------------------ */

/* Run the loop at @entry @n times; userspace must see exactly @want exits. */
static int loop_once(const struct backend *b, struct bvm *vm, const char *entry,
		     uint32_t n, const struct counts *want, double *per)
{
	struct counts c = { 0 };
	uint64_t ticks = 0;

	if (b->set_entry(vm, GUEST_ADDR(entry), n))
		return fail_b(b);
	if (run_to_hlt(b, vm, &c, NULL, 0) || guest_ticks(b, vm, &ticks))
		return -1;
	if (memcmp(&c, want, sizeof(c)))
		return fail("%u iterations gave out %u, in %u, MMIO write %u, read %u "
			    "exits to userspace; expected out %u, in %u, MMIO %u, %u",
			    n, c.out, c.in, c.mmio_write, c.mmio_read, want->out,
			    want->in, want->mmio_write, want->mmio_read);
	*per = (double)ticks / n;
	return 0;
}

/* Which exit each iteration of a loop must bring to userspace, if any. */
enum expect { EXPECT_NONE, EXPECT_OUT, EXPECT_IN, EXPECT_MMIO_WRITE, EXPECT_MMIO_READ };

static struct counts expected(enum expect e, unsigned int n)
{
	struct counts c = { 0 };

	switch (e) {
	case EXPECT_NONE: break;
	case EXPECT_OUT: c.out = n; break;
	case EXPECT_IN: c.in = n; break;
	case EXPECT_MMIO_WRITE: c.mmio_write = n; break;
	case EXPECT_MMIO_READ: c.mmio_read = n; break;
	}
	return c;
}

static void measure_loop(const struct backend *b, struct bvm *vm, const char *entry,
			 enum expect e, struct result *res)
{
	struct counts want = expected(e, 16);
	double v[MAX_ROUNDS], warm;
	unsigned int i;

	if (loop_once(b, vm, entry, 16, &want, &warm))
		goto failed;
	want = expected(e, exits);
	for (i = 0; i < rounds; i++)
		if (loop_once(b, vm, entry, exits, &want, &v[i]))
			goto failed;
	result_set(res, v, rounds);
	return;
failed:
	snprintf(res->note, sizeof(res->note), "%s", err);
	failures++;
}

/* The host's ticks per null ioctl, over @exits calls. */
static void measure_ioctl(const struct backend *b, struct result *res)
{
	double v[MAX_ROUNDS];
	unsigned int i, j;
	uint64_t t0;

	for (i = 0; i <= rounds; i++) {
		t0 = host_tsc();
		for (j = 0; j < exits; j++) {
			if (b->null_ioctl()) {
				snprintf(res->note, sizeof(res->note), "%s", b->strerror());
				failures++;
				return;
			}
		}
		if (i)
			v[i - 1] = (double)(host_tsc() - t0) / exits;
	}
	result_set(res, v, rounds);
}

/* ---- 4 KiB to the UART -------------------------------------------------- */

static void measure_uart(const struct backend *b, struct bvm *vm, int ring,
			 struct result *res)
{
	static struct sink sink;
	double v[MAX_ROUNDS];
	struct counts c;
	uint64_t ticks = 0;
	unsigned int i;

	for (i = 0; i <= rounds; i++) {
		memset(&c, 0, sizeof(c));
		sink.len = sink.lost = 0;
		if (b->set_entry(vm, GUEST_ADDR(bench_guest_uart), GUEST_OUT_LEN)) {
			fail_b(b);
			goto failed;
		}
		if (run_to_hlt(b, vm, &c, &sink, ring) || guest_ticks(b, vm, &ticks))
			goto failed;
		if (sink.len != GUEST_OUT_LEN || sink.lost ||
		    memcmp(sink.buf, pattern, GUEST_OUT_LEN)) {
			fail("the host received %zu bytes (%zu malformed), %s",
			     sink.len, sink.lost, sink.len == GUEST_OUT_LEN ?
			     "not the bytes sent" : "not 4096");
			goto failed;
		}
		/* Round 0 warms up. */
		if (i)
			v[i - 1] = (double)ticks / GUEST_OUT_LEN;
	}
	result_set(res, v, rounds);
	snprintf(res->note, sizeof(res->note), "%u exits to userspace per 4 KiB", c.out);
	return;
failed:
	snprintf(res->note, sizeof(res->note), "%s", err);
	failures++;
}

static void measure_uart_ring(const struct backend *b, struct result *res)
{
	struct bvm *vm;
	int r;

	if (b->create(&vm, RAM_SIZE, GUEST_ADDR(bench_guest_hlt))) {
		snprintf(res->note, sizeof(res->note), "%s", b->strerror());
		failures++;
		return;
	}
	r = b->coalesce(vm, PORT_UART);
	if (r == -EOPNOTSUPP)
		snprintf(res->note, sizeof(res->note), "not offered: %s", b->strerror());
	else if (r) {
		snprintf(res->note, sizeof(res->note), "%s", b->strerror());
		failures++;
	} else {
		measure_uart(b, vm, 1, res);
	}
	b->destroy(vm);
}

/* ---- Creation and memory ------------------------------------------------ */

static int create_once(const struct backend *b, uint64_t ram, double *ticks)
{
	struct counts c = { 0 }, none = { 0 };
	struct bvm *vm;
	uint64_t t0, t1;
	int r;

	t0 = host_tsc();
	r = b->create(&vm, ram, GUEST_ADDR(bench_guest_hlt));
	if (r)
		return fail_b(b);
	r = run_to_hlt(b, vm, &c, NULL, 0);
	t1 = host_tsc();
	b->destroy(vm);
	if (!r && memcmp(&c, &none, sizeof(c)))
		return fail("the first exit was not the HLT");
	*ticks = t1 - t0;
	return r;
}

static void measure_create(const struct backend *b, uint64_t ram, struct result *res)
{
	double v[MAX_ROUNDS], warm;
	unsigned int i;

	if (create_once(b, ram, &warm))
		goto failed;
	for (i = 0; i < rounds; i++)
		if (create_once(b, ram, &v[i]))
			goto failed;
	result_set(res, v, rounds);
	return;
failed:
	snprintf(res->note, sizeof(res->note), "%s", err);
	failures++;
}

static void measure_memory(const struct backend *b, struct side *s)
{
	double cg[MEM_ROUNDS], pg[MEM_ROUNDS];
	struct memcost m;
	char why[160] = "";
	int i, ncg = 0;

	for (i = 0; i < MEM_ROUNDS; i++) {
		if (bench_memcost(b, RAM_SIZE, &m, why, sizeof(why))) {
			snprintf(s->r[ROW_MEM_PAGES].note, sizeof(s->r[0].note), "%s", why);
			snprintf(s->r[ROW_MEM_MEMCG].note, sizeof(s->r[0].note), "%s", why);
			failures++;
			return;
		}
		pg[i] = m.pages_kib;
		if (m.memcg_kib != -1)
			cg[ncg++] = m.memcg_kib;
	}
	result_set(&s->r[ROW_MEM_PAGES], pg, MEM_ROUNDS);
	if (ncg == MEM_ROUNDS)
		result_set(&s->r[ROW_MEM_MEMCG], cg, ncg);
	else
		snprintf(s->r[ROW_MEM_MEMCG].note, sizeof(s->r[0].note), "%s", why);
}

/* ---- One side ----------------------------------------------------------- */

static void machine_info(struct side *s)
{
	struct utsname u;
	char line[256];
	FILE *f;

	if (!uname(&u))
		snprintf(s->kernel, sizeof(s->kernel), "%s (%s)", u.release, u.version);
	snprintf(s->cpu, sizeof(s->cpu), "unknown");
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !p)
			continue;
		p += 1 + strspn(p + 1, " \t");
		p[strcspn(p, "\n")] = 0;
		snprintf(s->cpu, sizeof(s->cpu), "%s", p);
		break;
	}
	fclose(f);
}

#define WANTED(row)	(only & (1ul << (row)))

/* The per-exit loops, each in its row. */
static const struct {
	const char *entry;
	enum expect expect;
	enum row_id row;
} loops[] = {
	{ bench_guest_loop, EXPECT_NONE, ROW_LOOP },
	{ bench_guest_out, EXPECT_OUT, ROW_OUT },
	{ bench_guest_in, EXPECT_IN, ROW_IN },
	{ bench_guest_cpuid, EXPECT_NONE, ROW_CPUID },
	{ bench_guest_vmcall, EXPECT_NONE, ROW_VMCALL },
	{ bench_guest_mmio_write, EXPECT_MMIO_WRITE, ROW_MMIO_WRITE },
	{ bench_guest_mmio_read, EXPECT_MMIO_READ, ROW_MMIO_READ },
};

/* What one VMCALL with RAX = 0 returns in RAX, into @s->vmcall. */
static void vmcall_answer(const struct backend *b, struct bvm *vm, struct side *s)
{
	struct counts c = { 0 };
	uint64_t rax, rdx;

	if (b->set_entry(vm, GUEST_ADDR(bench_guest_vmcall_once), 0))
		fail_b(b);
	else if (run_to_hlt(b, vm, &c, NULL, 0))
		;
	else if (b->get_rax_rdx(vm, &rax, &rdx))
		fail_b(b);
	else {
		snprintf(s->vmcall, sizeof(s->vmcall), "%#llx", (unsigned long long)rax);
		return;
	}
	fprintf(stderr, "bench: %s: VMCALL: %s\n", b->label, err);
	snprintf(s->vmcall, sizeof(s->vmcall), "(failed)");
	failures++;
}

static int run_side(const struct backend *b, struct side *s)
{
	struct bvm *vm;
	const char *d;
	size_t i;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", b->name);
	machine_info(s);
	s->exits = exits;
	s->rounds = rounds;
	if (b->open()) {
		fprintf(stderr, "bench: %s: %s\n", b->label, b->strerror());
		return -1;
	}
	d = b->describe();
	snprintf(s->config, sizeof(s->config), "%s", d ? d : "");
	fprintf(stderr, "bench: %s: %s\n", b->label, s->config);

	/*
	 * The VM of the per-exit loops. It stays alive until the last row,
	 * so that the other rows measure one more VM, not the first one.
	 */
	if (b->create(&vm, RAM_SIZE, GUEST_ADDR(bench_guest_hlt))) {
		fprintf(stderr, "bench: %s: %s\n", b->label, b->strerror());
		return -1;
	}
	time_limit();
	vmcall_answer(b, vm, s);

	fprintf(stderr, "bench: %s: per-exit loops\n", b->label);
	for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		if (!WANTED(loops[i].row))
			continue;
		time_limit();
		measure_loop(b, vm, loops[i].entry, loops[i].expect, &s->r[loops[i].row]);
	}
	if (WANTED(ROW_IOCTL)) {
		time_limit();
		measure_ioctl(b, &s->r[ROW_IOCTL]);
	}

	fprintf(stderr, "bench: %s: 4 KiB to the UART\n", b->label);
	if (WANTED(ROW_UART_PLAIN)) {
		time_limit();
		measure_uart(b, vm, 0, &s->r[ROW_UART_PLAIN]);
	}
	if (WANTED(ROW_UART_RING)) {
		time_limit();
		measure_uart_ring(b, &s->r[ROW_UART_RING]);
	}

	fprintf(stderr, "bench: %s: VM creation and memory\n", b->label);
	if (WANTED(ROW_CREATE)) {
		time_limit();
		measure_create(b, RAM_SIZE, &s->r[ROW_CREATE]);
	}
	if (WANTED(ROW_CREATE_SMALL)) {
		time_limit();
		measure_create(b, RAM_SMALL, &s->r[ROW_CREATE_SMALL]);
	}
	if (WANTED(ROW_MEM_MEMCG) || WANTED(ROW_MEM_PAGES)) {
		time_limit();
		measure_memory(b, s);
	}
	b->destroy(vm);
	if (WANTED(ROW_CREATE_COLD)) {
		time_limit();
		measure_create(b, RAM_SIZE, &s->r[ROW_CREATE_COLD]);
	}
	alarm(0);
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

/* --only: a comma-separated list of row names, as a mask. */
static unsigned long parse_only(char *list)
{
	unsigned long mask = 0;
	char *id;
	int row;

	for (id = strtok(list, ","); id; id = strtok(NULL, ",")) {
		row = row_lookup(id);
		if (row < 0) {
			fprintf(stderr, "bench: --only: no row '%s'; rows: %s\n", id,
				row_names());
			exit(2);
		}
		mask |= 1ul << row;
	}
	return mask;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: bench [--side tinyvmx|kvm|both] [--exits N] [--rounds R]\n"
		"             [--only ROW,...] [--save FILE] [--csv] [--date YYYY-MM-DD]\n"
		"       bench --report [--csv] [--date YYYY-MM-DD] FILE...\n"
		"\n"
		"Exit costs of tinyvmx and KVM with the same real-mode guest.\n"
		"  --side S     measure tinyvmx, kvm, or both (default: both)\n"
		"  --exits N    exits per round (default 2000)\n"
		"  --rounds R   rounds; the table shows the median (default 5)\n"
		"  --only ROWS  measure only these rows (the ids of --csv:\n"
		"               out in cpuid vmcall mmio_write mmio_read loop ioctl\n"
		"               create create_small create_cold mem_memcg mem_pages\n"
		"               uart_plain uart_ring)\n"
		"  --save FILE  save one side's results for --report\n"
		"  --report     print the table of saved results\n"
		"  --csv        the table as CSV (with \"#\" comment lines)\n"
		"  --date D     the date to print (default: today, UTC)\n"
		"Exit status: 0, or 1 if a measurement could not be made.\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "side", required_argument, NULL, 's' },
		{ "exits", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "save", required_argument, NULL, 'o' },
		{ "report", no_argument, NULL, 'R' },
		{ "csv", no_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "only", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct side sides[2];
	const struct side *tvm = NULL, *kvm = NULL;
	const char *side = "both", *save = NULL;
	char date[32] = "";
	int report = 0, csv = 0, o, i;
	time_t now = time(NULL);

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 's': side = optarg; break;
		case 'n': exits = strtoul(optarg, NULL, 0); break;
		case 'r': rounds = strtoul(optarg, NULL, 0); break;
		case 'o': save = optarg; break;
		case 'R': report = 1; break;
		case 'c': csv = 1; break;
		case 'd': snprintf(date, sizeof(date), "%s", optarg); break;
		case 'O': only = parse_only(optarg); break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (!date[0])
		strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	if (exits < 16 || exits > 1000000 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "bench: --exits takes 16 to 1000000, --rounds 1 to %d\n",
			MAX_ROUNDS);
		return 2;
	}

	if (report) {
		if (optind >= argc || argc - optind > 2)
			usage(2);
		for (i = 0; optind + i < argc; i++) {
			if (side_load(&sides[i], argv[optind + i])) {
				fprintf(stderr, "bench: %s: not a results file\n",
					argv[optind + i]);
				return 2;
			}
			if (!strcmp(sides[i].name, "kvm"))
				kvm = &sides[i];
			else
				tvm = &sides[i];
		}
		report_print(tvm, kvm, date, csv);
		return 0;
	}
	if (optind != argc)
		usage(2);
	if (strcmp(side, "tinyvmx") && strcmp(side, "kvm") && strcmp(side, "both"))
		usage(2);
	if (save && !strcmp(side, "both")) {
		fprintf(stderr, "bench: --save takes one --side\n");
		return 2;
	}

	for (i = 0; i < GUEST_OUT_LEN; i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	if (strcmp(side, "tinyvmx")) {
		if (run_side(&backend_kvm, &sides[1]))
			failures++;
		else
			kvm = &sides[1];
	}
	if (strcmp(side, "kvm")) {
		if (run_side(&backend_tinyvmx, &sides[0]))
			failures++;
		else
			tvm = &sides[0];
	}
	if (save) {
		const struct side *s = tvm ? tvm : kvm;

		if (s && side_save(s, save)) {
			fprintf(stderr, "bench: cannot write %s: %s\n", save, strerror(errno));
			return 1;
		}
	} else {
		report_print(tvm, kvm, date, csv);
	}
	return failures ? 1 : 0;
}
