/* mkrecord DIR [ballots-per-device] [devices] [group] [challenge-every]:
 * write a test record with the generator (for benches, fuzz seeds and
 * manual checks). */
#include <stdio.h>
#include <stdlib.h>

#include "gen_record.h"
#include "scrutin/core.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkrecord DIR [ballots] [devices] [group] "
                        "[challenge-every]\n");
        return 2;
    }
    if (sc_init() != SC_OK) {
        return 3;
    }
    tg_opts o = {SC_GROUP_TOY_Q64, 20, 2, 5, 7, 1, 0};
    if (argc > 2) {
        o.ballots = (uint32_t)atoi(argv[2]);
    }
    if (argc > 3) {
        o.devices = (uint32_t)atoi(argv[3]);
    }
    if (argc > 4 && sc_group_id_from_name(&o.group, argv[4]) != SC_OK) {
        fprintf(stderr, "unknown group %s\n", argv[4]);
        return 2;
    }
    if (argc > 5) {
        o.challenge_every = (uint32_t)atoi(argv[5]);
    }
    return tg_make_record(argv[1], &o) == SC_OK ? 0 : 3;
}
