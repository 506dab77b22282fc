/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events for the guest: see event.c.
 */
#ifndef TVM_EVENT_H
#define TVM_EVENT_H

#include <linux/tinyvmx.h>

struct tvm_vcpu;

int tvm_event_queue(struct tvm_vcpu *vcpu, const struct tinyvmx_event *ev);
void tvm_event_requeue(struct tvm_vcpu *vcpu);
void tvm_event_deliver(struct tvm_vcpu *vcpu);
int tvm_exit_window(struct tvm_vcpu *vcpu);

#endif /* TVM_EVENT_H */
