// SPDX-License-Identifier: GPL-2.0
/*
 * What a VM with one vCPU and its RAM costs the host beyond that RAM.
 *
 * A child process builds the VM, touches every page of its RAM from the
 * host and has the guest read every page (so that both hypervisors have
 * RAM and EPT fully populated), runs it to its HLT, and waits. The parent
 * counts the host memory that appeared in between, two ways:
 *
 *  - memcg: the child runs alone in a fresh memory cgroup; the figure is
 *    the growth of its memory.current. It counts what the kernel charges
 *    to the VM's owner (KVM and tinyvmx charge their allocations with
 *    __GFP_ACCOUNT), not what either leaves uncharged. memory.current
 *    also holds up to a batch of pages charged ahead into a per-CPU stock;
 *    the parent, pinned to the same CPU and in a cgroup of its own,
 *    charges a page and a small kernel object there just before each
 *    reading, which hands the child's stock back.
 *  - pages: the machine's free pages (each zone's free count plus its
 *    per-CPU lists, after /proc/sys/vm/stat_refresh folds the per-CPU
 *    counters), before and after. It counts every allocation, charged or
 *    not, and anything else the machine does meanwhile: quote it from an
 *    idle machine (the test machine runs nothing else).
 *
 * Either way 16 MiB of RAM is subtracted. Another VM of the same
 * hypervisor stays alive throughout, so that one-time costs (VMXON
 * regions) are not counted as the VM's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define CGROOT "/sys/fs/cgroup"

static int write_file(const char *path, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int fd, n, r = 0;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, n) != n)
		r = -errno;
	close(fd);
	return r;
}

static long read_long(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/* Free pages: every zone's "pages free" plus its per-CPU lists' "count:". */
static long free_pages(void)
{
	char line[256];
	long total = 0, v;
	FILE *f;

	write_file("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/zoneinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " pages free %ld", &v) == 1 ||
		    sscanf(line, " count: %ld", &v) == 1)
			total += v;
	}
	fclose(f);
	return total;
}

/*
 * Charge a page and a kernel object to our own cgroup on this CPU, so
 * that the per-CPU stocks give back what they held for the child's.
 */
static void flush_stock(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fds[2];

	if (p != MAP_FAILED) {
		*(volatile char *)p = 1;
		munmap(p, 4096);
	}
	if (!pipe(fds)) {
		close(fds[0]);
		close(fds[1]);
	}
}

/*
 * A cgroup v2 hierarchy with the memory controller for children of the
 * root: mount it if the machine has not (the test machine's init does
 * not). Returns 0 or a reason.
 */
static const char *memcg_setup(void)
{
	char line[256];
	FILE *f;

	if (access(CGROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CGROOT, "cgroup2", 0, NULL))
		return "cannot mount cgroup2 on " CGROOT;
	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return "no /proc/self/cgroup";
	if (!fgets(line, sizeof(line), f) || strcmp(line, "0::/\n")) {
		fclose(f);
		return "this process is not in the root cgroup (run it as the test machine does)";
	}
	fclose(f);
	if (write_file(CGROOT "/cgroup.subtree_control", "+memory"))
		return "cannot enable the memory controller";
	return NULL;
}

static void pretouch_stack(void)
{
	volatile char buf[64 << 10];

	memset((char *)buf, 0, sizeof(buf));
}

/* The child: build and run the VM, report, wait to be told to go. */
static int child(const struct backend *b, uint64_t ram_size, const char *cg,
		 int in, int out)
{
	struct bvm *vm;
	struct bexit ex;
	char c = 0, procs[256];
	void *p;
	uint64_t i;

	if (cg) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		if (write_file(procs, "%d", getpid()))
			return 1;
	}
	pretouch_stack();
	p = malloc(64 << 10);
	free(p);
	if (write(out, "r", 1) != 1 || read(in, &c, 1) != 1)
		return 1;
	if (b->create(&vm, ram_size, GUEST_ADDR(bench_guest_touch))) {
		fprintf(stderr, "bench: %s: %s\n", b->name, b->strerror());
		return 1;
	}
	for (i = 0; i < ram_size; i += 4096)
		((volatile char *)b->ram(vm))[i] |= 0;
	if (b->set_entry(vm, GUEST_ADDR(bench_guest_touch), ram_size / 4096))
		return 1;
	do {
		if (b->run(vm, &ex))
			return 1;
	} while (ex.kind == BX_INTR);
	if (ex.kind != BX_HLT)
		return 1;
	if (write(out, "d", 1) != 1 || read(in, &c, 1) != 1)
		return 1;
	b->destroy(vm);
	return 0;
}

int bench_memcost(const struct backend *b, uint64_t ram_size,
		  struct memcost *res, char *why, size_t whylen)
{
	char cg[128] = "", flush[128] = "", path[160];
	long cg0 = -1, cg1 = -1, pg0, pg1;
	int to_child[2], from_child[2], status = 0, done = 0;
	const char *nocg;
	cpu_set_t cpus, old;
	char c;
	pid_t pid;

	res->memcg_kib = res->pages_kib = -1;
	/* One CPU for both: the stocks and the per-CPU lists are per CPU. */
	sched_getaffinity(0, sizeof(old), &old);
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	nocg = memcg_setup();
	if (!nocg) {
		snprintf(cg, sizeof(cg), CGROOT "/bench-vm-%d", getpid());
		snprintf(flush, sizeof(flush), CGROOT "/bench-self-%d", getpid());
		if ((mkdir(cg, 0755) && errno != EEXIST) ||
		    (mkdir(flush, 0755) && errno != EEXIST)) {
			nocg = "cannot create a cgroup";
		} else {
			snprintf(path, sizeof(path), "%s/cgroup.procs", flush);
			if (write_file(path, "%d", getpid()))
				nocg = "cannot move into a cgroup";
		}
	}
	if (pipe(to_child) || pipe(from_child)) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(to_child[1]);
		close(from_child[0]);
		_exit(child(b, ram_size, nocg ? NULL : cg, to_child[0], from_child[1]));
	}
	close(to_child[0]);
	close(from_child[1]);
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	if (pid > 0 && read(from_child[0], &c, 1) == 1) {
		flush_stock();
		if (!nocg)
			cg0 = read_long(path);
		pg0 = free_pages();
		if (write(to_child[1], "g", 1) == 1 && read(from_child[0], &c, 1) == 1) {
			flush_stock();
			if (!nocg)
				cg1 = read_long(path);
			pg1 = free_pages();
			done = pg0 >= 0 && pg1 >= 0;
			if (done)
				res->pages_kib = (pg0 - pg1) * 4 - (long)(ram_size >> 10);
			if (cg0 >= 0 && cg1 >= 0)
				res->memcg_kib = (cg1 - cg0) / 1024 - (long)(ram_size >> 10);
		}
		if (write(to_child[1], "x", 1) != 1)
			kill(pid, SIGKILL);
	}
	close(to_child[1]);
	close(from_child[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);

	if (!nocg) {
		write_file(CGROOT "/cgroup.procs", "%d", getpid());
		rmdir(cg);
		rmdir(flush);
	}
	sched_setaffinity(0, sizeof(old), &old);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) || !done) {
		snprintf(why, whylen, "the measuring child failed (status %#x)", status);
		res->memcg_kib = res->pages_kib = -1;
		return -1;
	}
	if (nocg)
		snprintf(why, whylen, "memcg: %s", nocg);
	return 0;
}
