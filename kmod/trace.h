/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tinyvmx tracepoints: every guest entry and every VM exit, with the exit
 * reason printed by name from <asm/vmx.h>'s VMX_EXIT_REASONS.
 *
 *   echo 1 > /sys/kernel/tracing/events/tinyvmx/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tinyvmx

#if !defined(TVM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define TVM_TRACE_H

#include <linux/tracepoint.h>
#include <asm/vmx.h>

TRACE_EVENT(tinyvmx_entry,
	    TP_PROTO(u32 vcpu, u64 rip),
	    TP_ARGS(vcpu, rip),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(u64, rip)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->rip = rip;),
	    TP_printk("vcpu %u rip 0x%llx", __entry->vcpu, __entry->rip)
);

TRACE_EVENT(tinyvmx_exit,
	    TP_PROTO(u32 vcpu, u32 reason, u64 rip, u64 qual),
	    TP_ARGS(vcpu, reason, rip, qual),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(u32, reason)
			     __field(u64, rip)
			     __field(u64, qual)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->reason = reason;
			   __entry->rip = rip;
			   __entry->qual = qual;),
	    TP_printk("vcpu %u reason %s rip 0x%llx qual 0x%llx",
		      __entry->vcpu,
		      __print_symbolic(__entry->reason & 0xffff, VMX_EXIT_REASONS),
		      __entry->rip, __entry->qual)
);

#endif /* TVM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
