/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one side (one hypervisor) measured, how it is saved between the
 * KVM half and the tinyvmx half of a run, and the combined table.
 */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

enum row_id {
	ROW_OUT,
	ROW_IN,
	ROW_CPUID,
	ROW_VMCALL,
	ROW_MMIO_WRITE,
	ROW_MMIO_READ,
	ROW_LOOP,
	ROW_IOCTL,
	ROW_CREATE,
	ROW_CREATE_SMALL,
	ROW_CREATE_COLD,
	ROW_MEM_MEMCG,
	ROW_MEM_PAGES,
	ROW_UART_PLAIN,
	ROW_UART_RING,
	NR_ROWS
};

struct result {
	int valid;		/* 0: not measured, see @note */
	double med, min, max;	/* over @n rounds */
	int n;
	char note[256];
};

struct side {
	char name[16];		/* backend name: "tinyvmx", "kvm" */
	char kernel[256];	/* uname -r and -v */
	char cpu[128];		/* /proc/cpuinfo model name */
	char config[256];	/* the backend's describe() */
	char vmcall[64];	/* what VMCALL with RAX=0 returned */
	unsigned int exits, rounds;
	struct result r[NR_ROWS];
};

/* The row named @id ("out", "cpuid", ...), or -1. */
int row_lookup(const char *id);
/* The names of all rows, separated by spaces. */
const char *row_names(void);

/* The median, minimum and maximum of @n values (reordered) into @res. */
void result_set(struct result *res, double *v, int n);

int side_save(const struct side *s, const char *path);
int side_load(struct side *s, const char *path);

/*
 * Print the table of @tvm against @kvm (either may be NULL: its column
 * says "-"), as Markdown or, with @csv, as CSV with "#" comment lines.
 */
void report_print(const struct side *tvm, const struct side *kvm,
		  const char *date, int csv);

#endif
