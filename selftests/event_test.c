// SPDX-License-Identifier: GPL-2.0
/*
 * TINYVMX_INJECT: exceptions with and without error code, NMIs (blocked
 * until IRET), external interrupts (held while IF = 0 or in the STI
 * shadow, then delivered through an interrupt-window exit), the EBUSY and
 * EINVAL cases, and an event whose delivery is cut short by an exit: it
 * must be delivered again, never lost (SDM "Information for VM Exits
 * During Event Delivery").
 */
#include <sys/ioctl.h>

#include "tvm_test.h"

#define VEC_DE	0
#define VEC_NMI	2
#define VEC_UD	6
#define VEC_GP	13
#define VEC_IRQ	0x40

TVM_SNIPPET_DECLARE(ev_nop_real, nop, hlt);
TVM_SNIPPET_DECLARE(ev_nop_prot, nop, hlt);
TVM_SNIPPET_DECLARE(ev_sti, a, b, shadow, c);
TVM_SNIPPET_DECLARE(ev_nmi, nop, hlt, handler);

TVM_GUEST_FIXTURE(ev)

static struct tinyvmx_event exception(__u32 vector, int has_error, __u32 error)
{
	return (struct tinyvmx_event){
		.type = TINYVMX_EVENT_EXCEPTION, .vector = vector,
		.error_code = error, .flags = has_error ? TINYVMX_EVENT_HAS_ERROR : 0,
	};
}

static const struct tinyvmx_event nmi = { .type = TINYVMX_EVENT_NMI };
static const struct tinyvmx_event irq = {
	.type = TINYVMX_EVENT_EXTINT, .vector = VEC_IRQ,
};

/* Load @name in @mode with the reporting IDT, handlers returning. */
#define LOAD_WITH_IDT(g, name, mode)					\
	do {								\
		TVM_LOAD(g, name, mode);				\
		ASSERT_OK(tvm_guest_setup_idt(g, mode));		\
		ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rbp), 1));	\
	} while (0)

/*
 * An exception injected before the NOP: the guest's handler reports it
 * with the error code the CPU pushed, and returns to the NOP.
 */
TVM_GUEST_FIXTURE(exc)

FIXTURE_VARIANT(exc) {
	enum tvm_guest_mode mode;
	struct tvm_snippet s;
	const uint8_t *nop, *hlt;
	__u32 vector;
	int has_error;
	__u32 error;
	__u32 pushed;		/* what the handler sees */
};

/* #GP with error code 0x10 in protected mode: the handler pops 0x10. */
FIXTURE_VARIANT_ADD(exc, with_error_code) {
	TVM_MODE_PROT, TVM_SNIPPET_INIT(ev_nop_prot), ev_nop_prot_nop, ev_nop_prot_hlt,
	VEC_GP, 1, 0x10, 0x10,
};
/* Real mode: #UD through the IVT, then back to the NOP. */
FIXTURE_VARIANT_ADD(exc, real_mode) {
	TVM_MODE_REAL, TVM_SNIPPET_INIT(ev_nop_real), ev_nop_real_nop, ev_nop_real_hlt,
	VEC_UD, 0, 0, TVM_NO_ERROR,
};
/*
 * #GP queued with an error code while the guest is in real mode: real mode
 * pushes no error code (SDM "Exception and Interrupt Handling in
 * Real-Address Mode"), and VM entry with unrestricted guest and CR0.PE = 0
 * refuses "deliver error code" (SDM "Checks on VM-Entry Control Fields").
 * The guest must simply get #GP.
 */
FIXTURE_VARIANT_ADD(exc, with_error_code_in_real_mode) {
	TVM_MODE_REAL, TVM_SNIPPET_INIT(ev_nop_real), ev_nop_real_nop, ev_nop_real_hlt,
	VEC_GP, 1, 0x10, TVM_NO_ERROR,
};

TEST_F(exc, delivered)
{
	struct tinyvmx_event ev = exception(variant->vector, variant->has_error,
					    variant->error);
	__u64 nop = GUEST_CODE + (variant->nop - variant->s.start);
	__u64 hlt = GUEST_CODE + (variant->hlt - variant->s.start);

	ASSERT_OK(tvm_guest_load(&self->g, &variant->s, variant->mode));
	ASSERT_OK(tvm_guest_setup_idt(&self->g, variant->mode));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rbp), 1));
	ASSERT_OK(tvm_vcpu_inject(&self->g.vcpu, &ev));
	ASSERT_RUN_EVENT(&self->g.vcpu, variant->vector, variant->pushed, nop);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(hlt, self->g.vcpu.run->rip);
}

/*
 * An NMI is taken with IF = 0. A second one, queued while the first
 * handler runs, waits until its IRET (SDM "NMI Handling"): it arrives
 * through an NMI-window exit, with the nesting depth back at 1.
 */
TEST_F(ev, nmi_blocked_until_iret)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_vcpu_stats st;

	LOAD_WITH_IDT(&self->g, ev_nmi, TVM_MODE_PROT);
	ASSERT_OK(tvm_set_gate(&self->g.vm, TVM_MODE_PROT, VEC_NMI,
			       TVM_SNIPPET_ADDR(ev_nmi, handler)));
	ASSERT_OK(tvm_vcpu_inject(vcpu, &nmi));
	ASSERT_RUN_OUT(vcpu, 0x53, 1);
	/* The first handler runs: NMIs are blocked until its IRET. */
	ASSERT_OK(tvm_vcpu_inject(vcpu, &nmi));
	ASSERT_RUN_OUT(vcpu, 0x54, 1);
	ASSERT_RUN_OUT(vcpu, 0x53, 1);
	ASSERT_RUN_OUT(vcpu, 0x54, 1);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(TVM_SNIPPET_ADDR(ev_nmi, hlt), vcpu->run->rip);
	ASSERT_EQ(0, self->g.ram[GUEST_SCRATCH]);
	ASSERT_OK(tvm_vcpu_get_stats(vcpu, &st));
	ASSERT_LE(1, st.by_reason[EXIT_REASON_NMI_WINDOW]);
}

/* IF = 1 and nothing blocking: the interrupt comes before the NOP. */
TEST_F(ev, interrupt_with_if_set_at_once)
{
	LOAD_WITH_IDT(&self->g, ev_nop_prot, TVM_MODE_PROT);
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rflags), 0x202));
	ASSERT_OK(tvm_vcpu_inject(&self->g.vcpu, &irq));
	ASSERT_RUN_EVENT(&self->g.vcpu, VEC_IRQ, TVM_NO_ERROR,
			 TVM_SNIPPET_ADDR(ev_nop_prot, nop));
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
}

/*
 * IF = 0: the interrupt waits, past two OUTs, until STI, and then until
 * the instruction after STI completes (SDM "Interruptibility State":
 * blocking by STI); an interrupt-window exit lets it in before OUT 0x52.
 */
TEST_F(ev, interrupt_waits_for_sti_and_its_shadow)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_vcpu_stats st;

	LOAD_WITH_IDT(&self->g, ev_sti, TVM_MODE_PROT);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(0x50, vcpu->run->io.port) TH_LOG("%s", tvm_exit_desc(vcpu->run));
	ASSERT_EQ(TVM_SNIPPET_ADDR(ev_sti, a), vcpu->run->rip);
	ASSERT_OK(tvm_vcpu_inject(vcpu, &irq));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(0x51, vcpu->run->io.port)
		TH_LOG("the interrupt came with IF = 0: %s", tvm_exit_desc(vcpu->run));
	ASSERT_RUN_EVENT(vcpu, VEC_IRQ, TVM_NO_ERROR, TVM_SNIPPET_ADDR(ev_sti, c));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(0x52, vcpu->run->io.port) TH_LOG("%s", tvm_exit_desc(vcpu->run));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_stats(vcpu, &st));
	ASSERT_LE(1, st.by_reason[EXIT_REASON_INTERRUPT_WINDOW]);
}

/* One queued event per type: a second of the same type is EBUSY. */
TEST_F(ev, ebusy_while_same_type_queued)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_event ud = exception(VEC_UD, 0, 0), de = exception(VEC_DE, 0, 0);

	ASSERT_EQ(0, ioctl(vcpu->fd, TINYVMX_INJECT, &ud));
	ASSERT_ERRNO(EBUSY, ioctl(vcpu->fd, TINYVMX_INJECT, &de));
	ASSERT_EQ(0, ioctl(vcpu->fd, TINYVMX_INJECT, &nmi));
	ASSERT_ERRNO(EBUSY, ioctl(vcpu->fd, TINYVMX_INJECT, &nmi));
	ASSERT_EQ(0, ioctl(vcpu->fd, TINYVMX_INJECT, &irq));
	ASSERT_ERRNO(EBUSY, ioctl(vcpu->fd, TINYVMX_INJECT, &irq));
}

static const struct {
	const char *what;
	struct tinyvmx_event ev;
} bad_events[] = {
	{ "exception vector 2 (NMI)", { .type = TINYVMX_EVENT_EXCEPTION, .vector = 2 } },
	{ "exception vector 32", { .type = TINYVMX_EVENT_EXCEPTION, .vector = 32 } },
	{ "exception vector 255", { .type = TINYVMX_EVENT_EXCEPTION, .vector = 255 } },
	{ "error code on #UD", { .type = TINYVMX_EVENT_EXCEPTION, .vector = 6,
				 .flags = TINYVMX_EVENT_HAS_ERROR } },
	{ "error code on #DE", { .type = TINYVMX_EVENT_EXCEPTION, .vector = 0,
				 .flags = TINYVMX_EVENT_HAS_ERROR } },
	{ "#GP without its error code", { .type = TINYVMX_EVENT_EXCEPTION, .vector = 13 } },
	{ "error code on an NMI", { .type = TINYVMX_EVENT_NMI,
				    .flags = TINYVMX_EVENT_HAS_ERROR } },
	{ "error code on an interrupt", { .type = TINYVMX_EVENT_EXTINT, .vector = 0x40,
					  .flags = TINYVMX_EVENT_HAS_ERROR } },
	{ "interrupt vector 256", { .type = TINYVMX_EVENT_EXTINT, .vector = 256 } },
	{ "type 0", { .type = 0, .vector = 0x40 } },
	{ "type 4", { .type = 4, .vector = 0x40 } },
	{ "unknown flag", { .type = TINYVMX_EVENT_EXTINT, .vector = 0x40, .flags = 2 } },
	{ "reserved[0]", { .type = TINYVMX_EVENT_EXTINT, .vector = 0x40,
			   .reserved = { 1, 0 } } },
	{ "reserved[1]", { .type = TINYVMX_EVENT_EXTINT, .vector = 0x40,
			   .reserved = { 0, 1ull << 63 } } },
};

TEST_F(ev, einval)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_events); i++) {
		const char *what = bad_events[i].what;

		ASSERT_ERRNO(EINVAL, ioctl(self->g.vcpu.fd, TINYVMX_INJECT,
					   &bad_events[i].ev))
			TH_LOG("%s", what ? what : "?");
	}
	/* Nothing was queued by the refused calls. */
	ASSERT_EQ(0, ioctl(self->g.vcpu.fd, TINYVMX_INJECT, &irq));
}

/*
 * The guest's stack is outside RAM: delivering the event makes an EPT
 * violation in the middle of the delivery, which userspace sees as an
 * MMIO exit it cannot decode (the access is the CPU's, not the NOP's).
 * Userspace then puts RAM there; the next RUN must deliver the same
 * event, once.
 */
static void deliver_through_mmio_stack(struct __test_metadata *_metadata,
				       struct tvm_guest *g,
				       const struct tinyvmx_event *ev, __u32 vector,
				       __u32 error)
{
	struct tvm_vcpu *vcpu = &g->vcpu;
	struct tinyvmx_run *run = vcpu->run;
	__u64 stack = GUEST_MMIO_HIGH + 0x1000;

	LOAD_WITH_IDT(g, ev_nop_prot, TVM_MODE_PROT);
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rsp), stack));
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rflags), 0x202));
	ASSERT_OK(tvm_vcpu_inject(vcpu, ev));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_MMIO);
	ASSERT_EQ(0, run->mmio.flags & TINYVMX_MMIO_DECODED) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_LT(run->mmio.gpa, stack) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_LE(stack - 16, run->mmio.gpa) TH_LOG("%s", tvm_exit_desc(run));

	ASSERT_OK(tvm_vm_add_mem(&g->vm, 1, GUEST_MMIO_HIGH, 0x2000, NULL));
	ASSERT_RUN_EVENT(vcpu, vector, error, TVM_SNIPPET_ADDR(ev_nop_prot, nop));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(TVM_SNIPPET_ADDR(ev_nop_prot, hlt), run->rip);
}

TEST_F(ev, interrupt_redelivered_after_exit_during_delivery)
{
	deliver_through_mmio_stack(_metadata, &self->g, &irq, VEC_IRQ, TVM_NO_ERROR);
}

TEST_F(ev, exception_redelivered_after_exit_during_delivery)
{
	struct tinyvmx_event ev = exception(VEC_GP, 1, 0x10);

	deliver_through_mmio_stack(_metadata, &self->g, &ev, VEC_GP, 0x10);
}

TEST_F(ev, nmi_redelivered_after_exit_during_delivery)
{
	deliver_through_mmio_stack(_metadata, &self->g, &nmi, VEC_NMI, TVM_NO_ERROR);
}

TEST_HARNESS_MAIN
