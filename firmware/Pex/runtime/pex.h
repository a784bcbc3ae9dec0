/*
 * pex.h: the policy execution coprocessor's firmware: metadata sets, the interning table, and the interface between
 * the runtime (intern.c, main.c, calls.c; the reset entry is crt0.S of firmware/runtime) and the code generated from
 * a composite policy (pex_atoms.h, policy.c, image_sets.c).
 *
 * A tag is the identifier of an interned metadata set: 0 is the empty set, then 1, 2, 3, ... in the order in which the
 * sets were first interned. The initial table (the AP image's sets, in identifier order) is loaded at start-up; then
 * every rule allowed interns its PC output, then its result output; the call handlers intern in their stated order.
 */
#ifndef PEX_H
#define PEX_H

#include <stdint.h>

/* The atoms' flag bits and slot numbers, the opgroups (generated from the policy library's registry). */
#include "pex_atoms.h"

/*
 * A metadata set, 12 bytes as in the set table of a tag image: the flag atoms (one bit each) and four 16-bit slots
 * (a numbered atom family holds at most one number per set; 0 = none).
 */
typedef union meta_set {
    struct {
        uint32_t flags;
        uint16_t slot[4];
    };
    uint32_t words[3];
} meta_set;

/* The empty set, tag 0. */
extern const meta_set meta_empty;

/* The input sets of a rule: those of the (masked) input tags of the miss. */
typedef struct rule_inputs {
    const meta_set *pc;
    const meta_set *ci;
    const meta_set *rs1;
    const meta_set *rs2;
    const meta_set *mem;
} rule_inputs;

/* The outputs of an allowed rule, built as the union of every policy's outputs (flags or-ed, slots by their owner). */
typedef struct rule_outputs {
    meta_set pc;
    meta_set result;
} rule_outputs;

/* ---- the interning table (intern.c; its initial contents from image_sets.c) -------------------------------------- */

/*
 * The interning table, PEX_SET_CAPACITY sets indexed by tag, loaded with the AP image's sets as tags 1 ..
 * image_set_count (entry 0 is the empty set): a data section the builder writes, so the PEX starts with the image's
 * tags without interning them one by one.
 */
extern meta_set intern_table[];
extern const uint32_t image_set_count;

/* Indexes the initial table (the AP image's sets, tags 1 .. image_set_count): the first thing main() does. */
void intern_init(void);

/* The number of identifiers in use: tags 0 .. intern_count - 1 are valid. */
extern uint32_t intern_count;

/* The set of tag <tag>; a tag that was never handed out reads as the empty set. */
static inline const meta_set *intern_set(uint32_t tag)
{
    return tag < intern_count ? &intern_table[tag] : &meta_empty;
}

/* The tag of <set>: its identifier, the next one when it is new; PEX_TABLE_FULL when a new set finds no room. */
uint32_t intern(const meta_set *set);

/* What intern() returns when the table is full (never a valid tag: the largest identifier has all bits set). */
#define PEX_TABLE_FULL 0xFFFFFFFFu

/* ---- generated from the composite policy (policy.c) ------------------------------------------------------------ */

/* Per opgroup, the tag fields its rules read (bit n = field n: PC, CI, RS1, RS2, MEM). */
extern const uint8_t policy_care_masks[PEX_OPGROUPS];

/* The opgroup table, two entries a byte (entry i's opgroup in bits 4 * (i % 2) .. of byte i / 2): TAGCTL OPGROUP takes
 * each entry with its opgroup's care mask. */
extern const uint8_t policy_opgroup_table[];

/* The set loads and stores outside the tagged memory see as their memory tag's. */
extern const meta_set policy_device_set;

/*
 * Evaluates the composite for a miss: 0 = allow, with the outputs in <out> (which starts empty); else the denial,
 * (policy index << 16) | reason.
 */
uint32_t policy_evaluate(uint32_t opgroup, const rule_inputs *in, rule_outputs *out);

/*
 * Serves a call from the AP: op, its arguments and the set of the calling instruction's tag; returns the result and
 * sets *result_tag (0 unless the handler says otherwise).
 */
uint32_t policy_call(uint32_t op, uint32_t arg0, uint32_t arg1, const meta_set *caller, uint32_t *result_tag);

/* ---- the tag control device (main.c) ------------------------------------------------------------------------------ */

/* Sets the tag of the AP word at byte address <address>. */
void tag_write(uint32_t address, uint32_t tag);

/* The (policy << 16) | reason of the last denial, 0 when none (kept here: TAGCTL DENY is write only). */
uint32_t last_violation(void);

#endif /* PEX_H */
