/* Voters' receipts (docs/BOARD.md §6): the confirmation code in groups of
 * four, where to check it, and a QR code (libqrencode) of the page's
 * lookup link "<board>/#c=<code>" (the code alone without a board), as
 * UTF-8 half blocks for a terminal or a receipt printer and as SVG. */
#ifndef SC_CLI_RECEIPT_H
#define SC_CLI_RECEIPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scrutin/ballot.h"
#include "scrutin/status.h"

/** One voter's receipt. */
typedef struct cli_receipt {
    char *id; /* the ballot's label */
    uint32_t device;
    uint64_t sequence;
    int challenged;
    uint8_t code[32]; /* H_C */
} cli_receipt;

/** The receipts of one run, in ballot order. */
typedef struct cli_receipts {
    cli_receipt *r;
    size_t n, cap;
} cli_receipts;

/** "3F9A 07C2 ..." (16 groups of 4 uppercase hex digits, 80 bytes with
 *  the NUL). */
void cli_receipt_group(char out[80], const uint8_t code[32]);
/** The lookup link: "<board_url>/#c=<64 uppercase hex>", or the 64 digits
 *  alone when board_url is NULL. SC_E_RANGE if it does not fit. */
sc_status cli_receipt_link(char *out, size_t cap, const char *board_url,
                           const uint8_t code[32]);
/** The receipt as text: ballot, state, device and position, the grouped
 *  code, the board's address, the QR code in UTF-8 half blocks (dark
 *  modules printed, 4-module quiet zone) and the link under it. */
sc_status cli_receipt_print(FILE *out, const cli_receipt *r,
                            const char *board_url);
/** An SVG image of the QR code of `text` (malloc'd, NUL-ended). */
sc_status cli_receipt_svg(const char *text, char **svg, size_t *len);

/** Write one receipt as cli_receipts_write does (dir "-": print it). */
sc_status cli_receipt_write(const cli_receipt *r, const char *dir,
                            const char *board_url, char *err, size_t errlen);
/** Remember b's receipt (id copied). */
sc_status cli_receipts_add(cli_receipts *l, const sc_enc_ballot *b);
/** dir "-": print every receipt on standard output. Else, for each,
 *  dir/receipt_<device>_<sequence>.txt (cli_receipt_print) and .svg (the
 *  QR code), dir made if missing. On error err says which file. */
sc_status cli_receipts_write(const cli_receipts *l, const char *dir,
                             const char *board_url, char *err, size_t errlen);
void cli_receipts_clear(cli_receipts *l);

#endif
