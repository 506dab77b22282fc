// SPDX-License-Identifier: GPL-2.0
/*
 * Results: medians, the file one side saves for the combined report, and
 * the table (Markdown or CSV).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

struct rowdef {
	const char *id;
	const char *what;
	const char *unit;
};

static const struct rowdef rowdefs[NR_ROWS] = {
	[ROW_OUT] = { "out", "port I/O `out`, exit to userspace", "ticks/exit" },
	[ROW_IN] = { "in", "port I/O `in`, exit to userspace", "ticks/exit" },
	[ROW_CPUID] = { "cpuid", "CPUID (leaf 0), handled in the kernel", "ticks/exit" },
	[ROW_VMCALL] = { "vmcall", "VMCALL (RAX=0), handled in the kernel", "ticks/exit" },
	[ROW_MMIO_WRITE] = { "mmio_write", "MMIO write (`mov` outside RAM), exit to userspace",
			     "ticks/exit" },
	[ROW_MMIO_READ] = { "mmio_read", "MMIO read (`mov` outside RAM), exit to userspace",
			    "ticks/exit" },
	[ROW_LOOP] = { "loop", "the loop alone, no exit (included above)", "ticks/iteration" },
	[ROW_IOCTL] = { "ioctl", "a null ioctl on the device fd (CHECK_CAP, KVM_CHECK_EXTENSION)",
			"host ticks" },
	[ROW_CREATE] = { "create", "create VM (16 MiB RAM) + vCPU, run to first exit; another VM alive",
			 "host ticks" },
	[ROW_CREATE_SMALL] = { "create_small",
			       "create VM (64 KiB RAM) + vCPU, run to first exit; another VM alive",
			       "host ticks" },
	[ROW_CREATE_COLD] = { "create_cold",
			      "create VM (16 MiB RAM) + vCPU, run to first exit; no other VM",
			      "host ticks" },
	[ROW_MEM_MEMCG] = { "mem_memcg", "host memory of a VM beyond its 16 MiB RAM, memory cgroup",
			    "KiB" },
	[ROW_MEM_PAGES] = { "mem_pages", "host memory of a VM beyond its 16 MiB RAM, all pages",
			    "KiB" },
	[ROW_UART_PLAIN] = { "uart_plain", "4 KiB to port 0x3f8, one `out` per byte, plain exits",
			     "ticks/byte" },
	[ROW_UART_RING] = { "uart_ring",
			    "4 KiB to port 0x3f8, coalesced (tinyvmx ring, KVM coalesced PIO)",
			    "ticks/byte" },
};

int row_lookup(const char *id)
{
	int i;

	for (i = 0; i < NR_ROWS; i++)
		if (!strcmp(id, rowdefs[i].id))
			return i;
	return -1;
}

const char *row_names(void)
{
	static char names[NR_ROWS * 16];
	size_t n = 0;
	int i;

	for (i = 0; i < NR_ROWS; i++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", i ? " " : "",
			      rowdefs[i].id);
	return names;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void result_set(struct result *res, double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	res->valid = 1;
	res->n = n;
	res->min = v[0];
	res->max = v[n - 1];
	res->med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- The saved file: one "key<TAB>value..." per line ------------------- */

#define MAGIC "tinyvmx-bench-results 1"

static void clean(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n')
			*s = ' ';
}

int side_save(const struct side *s, const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return -errno;
	fprintf(f, "%s\nside\t%s\nkernel\t%s\ncpu\t%s\nconfig\t%s\nvmcall\t%s\n"
		"exits\t%u\nrounds\t%u\n", MAGIC, s->name, s->kernel, s->cpu,
		s->config, s->vmcall, s->exits, s->rounds);
	for (i = 0; i < NR_ROWS; i++) {
		const struct result *r = &s->r[i];
		char note[sizeof(r->note)];

		snprintf(note, sizeof(note), "%s", r->note);
		clean(note);
		if (r->valid)
			fprintf(f, "row\t%s\t%.3f\t%.3f\t%.3f\t%d\t%s\n", rowdefs[i].id,
				r->med, r->min, r->max, r->n, note);
		else
			fprintf(f, "row\t%s\tna\t\t\t0\t%s\n", rowdefs[i].id, note);
	}
	if (fclose(f))
		return -errno;
	return 0;
}

/* Copy the value after "key\t" on @line into @dst. */
static int field(const char *line, const char *key, char *dst, size_t len)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) || line[k] != '\t')
		return 0;
	snprintf(dst, len, "%s", line + k + 1);
	dst[strcspn(dst, "\n")] = 0;
	return 1;
}

static void load_row(struct side *s, char *line)
{
	char *f[6], *p = line + 4;	/* id, median, min, max, rounds, note */
	int n = 0, i;

	line[strcspn(line, "\n")] = 0;
	while (n < 6) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	if (n < 6)
		return;
	for (i = 0; i < NR_ROWS; i++) {
		struct result *r = &s->r[i];

		if (strcmp(f[0], rowdefs[i].id))
			continue;
		snprintf(r->note, sizeof(r->note), "%s", n > 5 ? f[5] : "");
		if (strcmp(f[1], "na")) {
			r->valid = 1;
			r->med = strtod(f[1], NULL);
			r->min = strtod(f[2], NULL);
			r->max = strtod(f[3], NULL);
			r->n = atoi(f[4]);
		}
	}
}

int side_load(struct side *s, const char *path)
{
	char line[1024], v[32];
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	memset(s, 0, sizeof(*s));
	if (!fgets(line, sizeof(line), f) || strncmp(line, MAGIC, strlen(MAGIC))) {
		fclose(f);
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f)) {
		if (field(line, "side", s->name, sizeof(s->name)) ||
		    field(line, "kernel", s->kernel, sizeof(s->kernel)) ||
		    field(line, "cpu", s->cpu, sizeof(s->cpu)) ||
		    field(line, "config", s->config, sizeof(s->config)) ||
		    field(line, "vmcall", s->vmcall, sizeof(s->vmcall)))
			continue;
		if (field(line, "exits", v, sizeof(v)))
			s->exits = atoi(v);
		else if (field(line, "rounds", v, sizeof(v)))
			s->rounds = atoi(v);
		else if (!strncmp(line, "row\t", 4))
			load_row(s, line);
	}
	fclose(f);
	return s->name[0] ? 0 : -EINVAL;
}

/* ---- The table -------------------------------------------------------- */

/* A figure as the table shows it: 7,412 or 0.84 or 12.3. */
static const char *fmt(char *buf, size_t len, double v)
{
	char digits[32];
	long n;
	int i, j, k;

	if (v >= 100 || v <= -100) {
		n = (long)(v < 0 ? v - 0.5 : v + 0.5);
		snprintf(digits, sizeof(digits), "%ld", n < 0 ? -n : n);
		k = strlen(digits);
		j = 0;
		if (n < 0)
			buf[j++] = '-';
		for (i = 0; i < k && j < (int)len - 2; i++) {
			if (i && (k - i) % 3 == 0)
				buf[j++] = ',';
			buf[j++] = digits[i];
		}
		buf[j] = 0;
	} else if (v >= 10 || v <= -10) {
		snprintf(buf, len, "%.1f", v);
	} else {
		snprintf(buf, len, "%.2f", v);
	}
	return buf;
}

static const struct result *get(const struct side *s, int row)
{
	return s && s->r[row].valid ? &s->r[row] : NULL;
}

static void print_row(const char *id, const char *what, const char *unit, const struct result *t,
		      const struct result *k, const char *tnote, int csv)
{
	char a[32] = "-", b[32] = "-", q[32] = "-";

	if (t)
		fmt(a, sizeof(a), t->med);
	if (k)
		fmt(b, sizeof(b), k->med);
	if (t && k && k->med > 0)
		snprintf(q, sizeof(q), "%.2f", t->med / k->med);
	if (csv) {
		printf("%s,\"%s\",%s", id, what, unit);
		if (t)
			printf(",%.1f", t->med);
		else
			printf(",");
		if (k)
			printf(",%.1f", k->med);
		else
			printf(",");
		printf(",%s", t && k && k->med > 0 ? q : "");
		if (t)
			printf(",%.1f,%.1f", t->min, t->max);
		else
			printf(",,");
		if (k)
			printf(",%.1f,%.1f", k->min, k->max);
		else
			printf(",,");
		printf(",%d,%d\n", t ? t->n : 0, k ? k->n : 0);
		return;
	}
	printf("| %s%s%s | %s | %s | %s | %s |\n", what, tnote ? " " : "",
	       tnote ? tnote : "", unit, a, b, q);
}

void report_print(const struct side *tvm, const struct side *kvm,
		  const char *date, int csv)
{
	const struct side *any = tvm ? tvm : kvm;
	const struct result *ring, *plain;
	int i;

	if (!any)
		return;
	if (csv) {
		printf("# kernel: %s\n# cpu: %s\n# date: %s\n", any->kernel, any->cpu, date);
		if (tvm)
			printf("# tinyvmx: %s; VMCALL RAX=0 -> %s\n", tvm->config, tvm->vmcall);
		if (kvm)
			printf("# kvm: %s; VMCALL RAX=0 -> %s\n", kvm->config, kvm->vmcall);
		printf("# %u exits per round, %u rounds; figures are medians over rounds\n",
		       any->exits, any->rounds);
		printf("id,measurement,unit,tinyvmx,kvm,ratio,tinyvmx_min,tinyvmx_max,"
		       "kvm_min,kvm_max,tinyvmx_rounds,kvm_rounds\n");
	} else {
		printf("kernel: %s\nCPU: %s\ndate: %s\n", any->kernel, any->cpu, date);
		if (tvm)
			printf("tinyvmx: %s; VMCALL RAX=0 returns %s\n", tvm->config, tvm->vmcall);
		if (kvm)
			printf("KVM: %s; VMCALL RAX=0 returns %s\n", kvm->config, kvm->vmcall);
		printf("Guest TSC ticks (real-mode guest, one vCPU), %u exits per round, "
		       "median of %u rounds;\nhost ticks are the host's TSC around the "
		       "ioctls. Lower is better in every row.\n\n",
		       any->exits, any->rounds);
		printf("| measurement | unit | tinyvmx | KVM | tinyvmx/KVM |\n");
		printf("|---|---|--:|--:|--:|\n");
	}
	for (i = 0; i < NR_ROWS; i++)
		print_row(rowdefs[i].id, rowdefs[i].what, rowdefs[i].unit, get(tvm, i), get(kvm, i),
			  NULL, csv);

	/*
	 * Issue 7's target for batched output compares tinyvmx at its best
	 * (the ring when the module has one) with KVM's plain exits.
	 */
	ring = get(tvm, ROW_UART_RING);
	plain = get(tvm, ROW_UART_PLAIN);
	print_row("uart_target", "4 KiB to port 0x3f8: tinyvmx ring against KVM plain exits", "ticks/byte",
		  ring ? ring : plain, get(kvm, ROW_UART_PLAIN),
		  ring || !plain ? NULL : "(no ring in this module: tinyvmx plain exits)",
		  csv);

	if (csv)
		return;
	printf("\n");
	for (i = 0; i < NR_ROWS; i++) {
		if (tvm && tvm->r[i].note[0])
			printf("tinyvmx, %s: %s\n", rowdefs[i].what, tvm->r[i].note);
		if (kvm && kvm->r[i].note[0])
			printf("KVM, %s: %s\n", rowdefs[i].what, kvm->r[i].note);
	}
}
