// SPDX-License-Identifier: GPL-2.0
/*
 * Events for the guest: exceptions, NMIs and external interrupts queued by
 * userspace, and events the CPU was delivering when an exit cut in.
 *
 * Injection is the SDM's "Event Injection" (VM-entry interruption-
 * information field). An NMI or an interrupt the guest cannot take yet
 * waits for an NMI-window or interrupt-window exit ("VM-Execution
 * Controls"), which comes as soon as it can. An exit that happened during
 * the delivery of an event through the IDT reports it in the
 * IDT-vectoring information; it is injected again so it is never lost
 * ("Information for VM Exits During Event Delivery").
 */
#include <asm/trapnr.h>

#include "event.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

#define TVM_INTR_BLOCKED (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)
#define TVM_NMI_BLOCKED	 (TVM_INTR_BLOCKED | GUEST_INTR_STATE_NMI)

/* The exceptions that push an error code (SDM "Exception and Interrupt
 * Reference"): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP.
 */
static bool tvm_exception_has_error(u32 vector)
{
	return vector < 32 && (BIT(vector) & (BIT(X86_TRAP_DF) | BIT(X86_TRAP_TS) |
					       BIT(X86_TRAP_NP) | BIT(X86_TRAP_SS) |
					       BIT(X86_TRAP_GP) | BIT(X86_TRAP_PF) |
					       BIT(X86_TRAP_AC) | BIT(21)));
}

/* TINYVMX_INJECT: queue the event; tvm_event_deliver() does the rest. */
int tvm_event_queue(struct tvm_vcpu *vcpu, const struct tinyvmx_event *ev)
{
	struct tvm_events *q = &vcpu->vmx.events;
	bool err = ev->flags & TINYVMX_EVENT_HAS_ERROR;

	if (ev->reserved[0] || ev->reserved[1] || ev->flags & ~TINYVMX_EVENT_HAS_ERROR)
		return -EINVAL;
	switch (ev->type) {
	case TINYVMX_EVENT_EXCEPTION:
		if (ev->vector >= 32 || ev->vector == X86_TRAP_NMI ||
		    err != tvm_exception_has_error(ev->vector))
			return -EINVAL;
		if (q->exception)
			return -EBUSY;
		q->exception = INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
			       ev->vector | (err ? INTR_INFO_DELIVER_CODE_MASK : 0);
		q->error_code = ev->error_code;
		return 0;
	case TINYVMX_EVENT_NMI:
		if (ev->vector || err)
			return -EINVAL;
		if (q->nmi)
			return -EBUSY;
		q->nmi = true;
		return 0;
	case TINYVMX_EVENT_EXTINT:
		if (ev->vector > 255 || err)
			return -EINVAL;
		if (q->irq)
			return -EBUSY;
		q->irq = INTR_INFO_VALID_MASK | INTR_TYPE_EXT_INTR | ev->vector;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Right after an exit that can happen during event delivery: put the
 * event the CPU was delivering back into the entry fields.
 */
void tvm_event_requeue(struct tvm_vcpu *vcpu)
{
	u32 info = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	if (!(info & INTR_INFO_VALID_MASK))
		return;
	vcpu->vmx.exit_in_delivery = true;
	if (info & INTR_INFO_DELIVER_CODE_MASK)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE,
			     vmcs_read32(IDT_VECTORING_ERROR_CODE));
	/* Software interrupts and exceptions restart from their instruction. */
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN,
			     vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info & ~INTR_INFO_UNBLOCK_NMI);
}

/* The processor-based controls are cached in vmx->proc_ctl. */
static void tvm_window(struct tvm_vmx *vmx, u32 bit, bool on)
{
	if (!!(vmx->proc_ctl & bit) == on)
		return;
	vmx->proc_ctl = on ? vmx->proc_ctl | bit : vmx->proc_ctl & ~bit;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, vmx->proc_ctl);
}

#define TVM_WINDOWS (CPU_BASED_NMI_WINDOW_EXITING | CPU_BASED_INTR_WINDOW_EXITING)

/* Before each entry: inject what the guest can take, wait for the rest. */
void tvm_event_deliver(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	struct tvm_events *q = &vmx->events;
	u32 intr;

	/* The common case, on every entry: nothing queued, nothing waited for. */
	if (!q->exception && !q->nmi && !q->irq && !(vmx->proc_ctl & TVM_WINDOWS))
		return;
	if (vmcs_read32(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK)
		goto windows;	/* one event per entry; the rest wait */
	if (q->exception) {
		/* Drops the error code in real mode, which pushes none. */
		tvm_guest_inject_exception(q->exception & INTR_INFO_VECTOR_MASK,
					   q->exception & INTR_INFO_DELIVER_CODE_MASK,
					   q->error_code);
		q->exception = 0;
		goto windows;
	}
	intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	if (q->nmi && !(intr & TVM_NMI_BLOCKED)) {
		vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID_MASK |
			     INTR_TYPE_NMI_INTR | X86_TRAP_NMI);
		q->nmi = false;
	} else if (q->irq && !q->nmi && !(intr & TVM_INTR_BLOCKED) &&
		   (vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF)) {
		vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, q->irq);
		q->irq = 0;
	}
windows:
	/* Without virtual NMIs there is no NMI window: use the IRQ one. */
	tvm_window(vmx, CPU_BASED_NMI_WINDOW_EXITING, q->nmi && tvm_vmx.has_vnmi);
	tvm_window(vmx, CPU_BASED_INTR_WINDOW_EXITING,
		   q->irq || (q->nmi && !tvm_vmx.has_vnmi));
}

/* Interrupt- and NMI-window exits: the next entry injects. */
int tvm_exit_window(struct tvm_vcpu *vcpu)
{
	return 1;
}
