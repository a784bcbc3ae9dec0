/*
 * intern.c: the interning table of metadata sets (see pex.h).
 *
 * The sets live in intern_table, indexed by tag (entry 0 is the empty set), which the builder loads with the AP
 * image's sets (image_sets.c). An open-addressed hash index (linear probing, a power of two of 16-bit slots, at least
 * twice the table's capacity, 0 = free) finds a set's tag; the empty set is never in the index. Identifiers depend
 * only on the order in which sets enter the table, never on the hash.
 *
 * PEX_SET_CAPACITY (tags, the empty set's included) and PEX_INDEX_SLOTS are set by the builder from the tag width and
 * the PEX's RAM.
 */
#include "pex.h"

#ifndef PEX_SET_CAPACITY
#error "PEX_SET_CAPACITY: the builder defines the interning table's capacity"
#endif
#ifndef PEX_INDEX_SLOTS
#error "PEX_INDEX_SLOTS: the builder defines the hash index's size (a power of two)"
#endif
#if (PEX_INDEX_SLOTS & (PEX_INDEX_SLOTS - 1)) != 0 || PEX_INDEX_SLOTS < 2 * PEX_SET_CAPACITY || PEX_SET_CAPACITY > 65536
#error "PEX_INDEX_SLOTS must be a power of two at least twice PEX_SET_CAPACITY, which is at most 65536"
#endif

const meta_set meta_empty;

static uint16_t set_index[PEX_INDEX_SLOTS];
uint32_t intern_count = 1;

/*
 * A hash of the set's three words from shifts and xors (the PEX has no multiplier): the flags in the low bits, each
 * slot's low bits spread over the index, the high half folded down.
 */
static uint32_t hash(const meta_set *set)
{
    uint32_t h = set->words[0] ^ (set->words[1] << 5) ^ (set->words[1] >> 9) ^ (set->words[2] << 3) ^ (set->words[2] >> 7);
    return h ^ (h >> 16);
}

/* The index slot that holds <set>'s tag, or the free slot where it goes. */
static uint32_t slot_of(const meta_set *set)
{
    uint32_t at = hash(set) & (PEX_INDEX_SLOTS - 1);
    for (;;) {
        uint32_t tag = set_index[at];
        if (tag == 0)
            return at;
        const meta_set *known = &intern_table[tag];
        if (known->words[0] == set->words[0] && known->words[1] == set->words[1] && known->words[2] == set->words[2])
            return at;
        at = (at + 1) & (PEX_INDEX_SLOTS - 1);
    }
}

void intern_init(void)
{
    for (uint32_t tag = 1; tag <= image_set_count; tag++)
        set_index[slot_of(&intern_table[tag])] = (uint16_t)tag;
    intern_count = image_set_count + 1;
}

uint32_t intern(const meta_set *set)
{
    if ((set->words[0] | set->words[1] | set->words[2]) == 0)
        return 0;
    uint32_t at = slot_of(set);
    if (set_index[at] != 0)
        return set_index[at];
    if (intern_count == PEX_SET_CAPACITY)
        return PEX_TABLE_FULL;
    uint32_t tag = intern_count++;
    intern_table[tag] = *set;
    set_index[at] = (uint16_t)tag;
    return tag;
}
