// SPDX-License-Identifier: GPL-2.0
/*
 * Closing everything in every order while a guest is loaded and has run:
 * the device fd, the VM fd, the vCPU fd, the mapping of guest RAM and the
 * mapping of the run struct (5! = 120 orders). Whatever goes first, what
 * remains stays usable: guest RAM keeps its contents while mapped, the run
 * struct keeps the last exit. When all is gone the module holds no
 * references. The test machine's kernel-log check catches any warning.
 */
#include <stdio.h>
#include <sys/mman.h>

#include "tvm_test.h"

enum obj { DEV, VM, VCPU, RAM_MAP, RUN_MAP, NR_OBJ };

static const char *const obj_name[NR_OBJ] = {
	"dev fd", "VM fd", "vCPU fd", "RAM mapping", "run mapping",
};

TVM_SNIPPET_DECLARE(hlt_real);
TVM_SNIPPET_DECLARE(mem_real);

/* The next permutation of @p in lexicographic order; false after the last. */
static bool next_perm(int *p, int n)
{
	int i = n - 2, j = n - 1, t;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return false;
	while (p[j] <= p[i])
		j--;
	t = p[i], p[i] = p[j], p[j] = t;
	for (i++, j = n - 1; i < j; i++, j--)
		t = p[i], p[i] = p[j], p[j] = t;
	return true;
}

/* /sys/module/tinyvmx/refcnt, or -1 when it cannot be read. */
static int module_refcnt(void)
{
	FILE *f = fopen("/sys/module/tinyvmx/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static void order_str(const int *order, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NR_OBJ && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 obj_name[order[i]]);
}

TEST(close_in_every_order)
{
	const struct tvm_snippet snip = TVM_SNIPPET(hlt_real);
	size_t snip_len = snip.end - snip.start;
	int order[NR_OBJ] = { DEV, VM, VCPU, RAM_MAP, RUN_MAP };
	int base_refcnt, dev_fd, n = 0, i;
	char desc[128];

	TVM_OPEN_DEV_OR_SKIP(dev_fd);
	close(dev_fd);
	/* Every reference this process holds is gone now. */
	base_refcnt = module_refcnt();

	do {
		struct tvm_guest g;
		uint8_t *ram;
		struct tinyvmx_run *run;
		size_t ram_size, run_size;

		order_str(order, desc, sizeof(desc));
		tvm_guest_init(&g);
		ASSERT_OK(tvm_guest_create(&g)) TH_LOG("order %s", desc);
		ASSERT_OK(tvm_guest_load(&g, &snip, TVM_MODE_REAL));
		ASSERT_RUN_EXIT(&g.vcpu, TINYVMX_EXIT_HLT);

		/* Take the objects over from g: each is closed exactly once. */
		ram = g.ram;
		ram_size = g.vm.mem[0].size;
		g.vm.mem[0].hva = NULL;
		run = g.vcpu.run;
		run_size = g.vcpu.run_size;
		g.vcpu.run = NULL;

		for (i = 0; i < NR_OBJ; i++) {
			switch (order[i]) {
			case DEV:
				close(g.dev_fd);
				g.dev_fd = -1;
				break;
			case VM:
				close(g.vm.fd);
				g.vm.fd = -1;
				break;
			case VCPU:
				close(g.vcpu.fd);
				g.vcpu.fd = -1;
				break;
			case RAM_MAP:
				ASSERT_EQ(0, memcmp(ram + GUEST_CODE, snip.start, snip_len))
					TH_LOG("order %s: guest RAM lost its contents", desc);
				munmap(ram, ram_size);
				break;
			case RUN_MAP:
				ASSERT_EQ(TINYVMX_RUN_VERSION, run->version)
					TH_LOG("order %s", desc);
				ASSERT_EQ(TINYVMX_EXIT_HLT, run->exit_reason)
					TH_LOG("order %s: %s", desc, tvm_exit_desc(run));
				munmap(run, run_size);
				break;
			}
		}
		tvm_guest_destroy(&g);

		if (base_refcnt >= 0) {
			ASSERT_EQ(base_refcnt, module_refcnt())
				TH_LOG("order %s: the module is still referenced", desc);
		}
		n++;
	} while (next_perm(order, NR_OBJ));
	ASSERT_EQ(120, n);
}

/*
 * A vCPU fd outlives its VM fd and still runs the guest: the vCPU holds
 * the VM, and RAM written through a mapping that outlived the VM fd is
 * what the guest reads.
 */
TEST(vcpu_runs_after_vm_fd_closed)
{
	struct tvm_guest g;

	tvm_guest_init(&g);
	TVM_OPEN_DEV_OR_SKIP(g.dev_fd);
	ASSERT_OK(tvm_guest_create(&g));
	ASSERT_OK(tvm_guest_load(&g, &TVM_SNIPPET(mem_real), TVM_MODE_REAL));
	close(g.dev_fd);
	g.dev_fd = -1;
	close(g.vm.fd);
	g.vm.fd = -1;
	ASSERT_MEM_REAL_ROUND_TRIP(&g, 0x1234);
	tvm_guest_destroy(&g);
}

TEST_HARNESS_MAIN
