/*
 * main.c: the PEX firmware's main loop.
 *
 * Start-up: index the AP image's sets (tags 1 .. image_set_count, loaded into the interning table), program every
 * entry of the opgroup table (its opgroup and that opgroup's care mask) and the device tag (interning the device set),
 * then release the AP. Then poll TAGCTL STATUS:
 *   - a miss: read the masked rule input, evaluate the composite on the input sets; allowed: intern the PC output,
 *     then the result output, write both to ALLOW; denied: write the denial to DENY;
 *   - a call: read CALL_OP, CALL_ARG0, CALL_ARG1 and CALL_CALLER_TAG, run the handler, write CALL_RESULT_TAG, then
 *     CALL_RESULT (which completes the call).
 * A miss is served before a call. The rule cache's statistics are the hardware's (TAGCTL LOOKUPS ...): the firmware
 * counts nothing of its own.
 *
 * When the interning table is full, a miss whose outputs need a new set is denied with PEX_DENY_TABLE_FULL.
 */
#include "hwgen_soc.h"
#include "pex.h"

#define TAGCTL(name) HWGEN_MMIO32(HWGEN_TAGCTL_##name)

/* The denial when an output set finds no room in the interning table: policy 0xFFFF, reason 1. */
#define PEX_DENY_TABLE_FULL 0xFFFF0001u

void tag_write(uint32_t address, uint32_t tag)
{
    TAGCTL(TAG_ADDR) = address;
    TAGCTL(TAG_DATA) = tag;
}

/* The last denial: TAGCTL DENY is write only (the simulator's report reads its word from the hardware). */
static uint32_t last_denial;

uint32_t last_violation(void)
{
    return last_denial;
}

static void deny(uint32_t info)
{
    last_denial = info;
    TAGCTL(DENY) = info;
}

static void serve_miss(void)
{
    uint32_t opgroup = TAGCTL(MISS_OPGROUP);
    rule_inputs in = {
        .pc = intern_set(TAGCTL(MISS_PC_TAG)),
        .ci = intern_set(TAGCTL(MISS_CI_TAG)),
        .rs1 = intern_set(TAGCTL(MISS_RS1_TAG)),
        .rs2 = intern_set(TAGCTL(MISS_RS2_TAG)),
        .mem = intern_set(TAGCTL(MISS_MEM_TAG)),
    };
    rule_outputs out = { 0 };
    uint32_t denial = policy_evaluate(opgroup, &in, &out);
    if (denial != 0) {
        deny(denial);
        return;
    }
    uint32_t pc_tag = intern(&out.pc);
    uint32_t result_tag = pc_tag == PEX_TABLE_FULL ? PEX_TABLE_FULL : intern(&out.result);
    if (result_tag == PEX_TABLE_FULL) {
        deny(PEX_DENY_TABLE_FULL);
        return;
    }
    TAGCTL(ALLOW) = pc_tag | result_tag << __builtin_ctz(HWGEN_TAGCTL_ALLOW_RESULT_TAG);
}

static void serve_call(void)
{
    uint32_t op = TAGCTL(CALL_OP);
    uint32_t arg0 = TAGCTL(CALL_ARG0);
    uint32_t arg1 = TAGCTL(CALL_ARG1);
    const meta_set *caller = intern_set(TAGCTL(CALL_CALLER_TAG));
    uint32_t result_tag = 0;
    uint32_t result = policy_call(op, arg0, arg1, caller, &result_tag);
    TAGCTL(CALL_RESULT_TAG) = result_tag;
    TAGCTL(CALL_RESULT) = result;
}

/* Writes every entry of the opgroup table: its opgroup and that opgroup's care mask (an opgroup the policies do not
 * define cares for every field). */
static void program_opgroup_table(void)
{
    const uint32_t index_shift = __builtin_ctz(HWGEN_TAGCTL_OPGROUP_INDEX);
    const uint32_t care_shift = __builtin_ctz(HWGEN_TAGCTL_OPGROUP_CARE);
    const uint32_t entries = (HWGEN_TAGCTL_OPGROUP_INDEX >> index_shift) + 1;
    for (uint32_t index = 0; index < entries; index++) {
        uint32_t group = (policy_opgroup_table[index >> 1] >> ((index & 1) << 2)) & HWGEN_TAGCTL_OPGROUP_GROUP;
        uint32_t care = group < PEX_OPGROUPS ? policy_care_masks[group] : HWGEN_TAGCTL_OPGROUP_CARE >> care_shift;
        TAGCTL(OPGROUP) = care << care_shift | index << index_shift | group;
    }
}

int main(void)
{
    intern_init();
    program_opgroup_table();
    TAGCTL(DEVICE_TAG) = intern(&policy_device_set);
    TAGCTL(AP_CONTROL) = 0;

    for (;;) {
        uint32_t status = TAGCTL(STATUS);
        if (status & HWGEN_TAGCTL_STATUS_MISS)
            serve_miss();
        else if (status & HWGEN_TAGCTL_STATUS_CALL)
            serve_call();
    }
}
