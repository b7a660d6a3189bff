/* Voters' receipts: grouped code, board address, QR code (libqrencode) as
 * UTF-8 half blocks and as SVG. See receipt.h. */
#include "receipt.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scrutin/core.h"
#include "scrutin/json.h"

#define QUIET 4 /* modules of white around the symbol (ISO 18004) */

void cli_receipt_group(char out[80], const uint8_t code[32])
{
    char hex[65];
    sc_hex_encode(hex, code, 32);
    size_t o = 0;
    for (size_t i = 0; i < 64; i++) {
        if (i > 0 && i % 4 == 0) {
            out[o++] = ' ';
        }
        char c = hex[i];
        out[o++] = (char)(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
    }
    out[o] = '\0';
}

sc_status cli_receipt_link(char *out, size_t cap, const char *board_url,
                           const uint8_t code[32])
{
    char hex[65];
    sc_hex_encode(hex, code, 32);
    for (size_t i = 0; i < 64; i++) {
        if (hex[i] >= 'a' && hex[i] <= 'f') {
            hex[i] = (char)(hex[i] - 'a' + 'A');
        }
    }
    int n;
    if (board_url == NULL) {
        n = snprintf(out, cap, "%s", hex);
    } else {
        size_t bl = strlen(board_url);
        while (bl > 0 && board_url[bl - 1] == '/') {
            bl--;
        }
        n = snprintf(out, cap, "%.*s/#c=%s", (int)bl, board_url, hex);
    }
    return n < 0 || (size_t)n >= cap ? SC_E_RANGE : SC_OK;
}

/* Module (x, y) of the symbol with its quiet zone: 1 dark, 0 light. */
static int dark(const QRcode *q, int x, int y)
{
    x -= QUIET;
    y -= QUIET;
    if (x < 0 || y < 0 || x >= q->width || y >= q->width) {
        return 0;
    }
    return q->data[y * q->width + x] & 1;
}

static QRcode *encode(const char *text)
{
    return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

sc_status cli_receipt_print(FILE *out, const cli_receipt *r,
                            const char *board_url)
{
    char grouped[80], link[1200];
    sc_status rc = cli_receipt_link(link, sizeof link, board_url, r->code);
    if (rc != SC_OK) {
        return rc;
    }
    QRcode *q = encode(link);
    if (q == NULL) {
        return errno == ENOMEM ? SC_E_NOMEM : SC_E_RANGE;
    }
    cli_receipt_group(grouped, r->code);
    fprintf(out,
            "Scrutin ballot receipt\n"
            "ballot:    %s\n"
            "state:     %s\n"
            "device:    %u, ballot %llu on it\n"
            "confirmation code:\n  %.39s\n  %s\n",
            r->id, r->challenged ? "challenged" : "cast", (unsigned)r->device,
            (unsigned long long)r->sequence, grouped, grouped + 40);
    if (board_url != NULL) {
        fprintf(out, "check it at: %s\n", board_url);
    } else {
        fprintf(out, "check it on the election's public board\n");
    }
    /* two module rows per text line: upper half, lower half, both */
    int side = q->width + 2 * QUIET;
    for (int y = 0; y < side; y += 2) {
        for (int x = 0; x < side; x++) {
            int top = dark(q, x, y), bottom = dark(q, x, y + 1);
            fputs(top && bottom ? "\u2588"
                  : top         ? "\u2580"
                  : bottom      ? "\u2584"
                                : " ",
                  out);
        }
        fputc('\n', out);
    }
    fprintf(out, "%s\n", link);
    QRcode_free(q);
    return ferror(out) ? SC_E_IO : SC_OK;
}

sc_status cli_receipt_svg(const char *text, char **svg, size_t *len)
{
    QRcode *q = encode(text);
    if (q == NULL) {
        return errno == ENOMEM ? SC_E_NOMEM : SC_E_RANGE;
    }
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (f == NULL) {
        QRcode_free(q);
        return SC_E_NOMEM;
    }
    int side = q->width + 2 * QUIET;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
            "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">\n"
            "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
            "<path fill=\"#000\" d=\"",
            side, side, side * 8, side * 8, side, side);
    for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
            if (dark(q, x, y)) {
                fprintf(f, "M%d %dh1v1h-1z", x, y);
            }
        }
    }
    fprintf(f, "\"/>\n</svg>\n");
    QRcode_free(q);
    if (fclose(f) != 0) {
        free(buf);
        return SC_E_NOMEM;
    }
    *svg = buf;
    *len = n;
    return SC_OK;
}

sc_status cli_receipts_add(cli_receipts *l, const sc_enc_ballot *b)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        cli_receipt *p = realloc(l->r, nc * sizeof *p);
        if (p == NULL) {
            return SC_E_NOMEM;
        }
        l->r = p;
        l->cap = nc;
    }
    cli_receipt *r = &l->r[l->n];
    r->id = strdup(b->id != NULL ? b->id : "");
    if (r->id == NULL) {
        return SC_E_NOMEM;
    }
    r->device = b->device;
    r->sequence = b->sequence;
    r->challenged = b->state != SC_BALLOT_CAST;
    memcpy(r->code, b->h_c, 32);
    l->n++;
    return SC_OK;
}

/* One receipt's text and SVG files. */
static sc_status write_one(const cli_receipt *r, const char *dir,
                           const char *board_url, char *err, size_t errlen)
{
    char path[4200], link[1200];
    char *buf = NULL;
    size_t n = 0;
    int base = snprintf(path, sizeof path, "%s/receipt_%u_%llu", dir,
                        (unsigned)r->device, (unsigned long long)r->sequence);
    if (base < 0 || (size_t)base + 5 >= sizeof path) {
        snprintf(err, errlen, "%s: path too long", dir);
        return SC_E_RANGE;
    }
    FILE *f = open_memstream(&buf, &n);
    if (f == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = cli_receipt_print(f, r, board_url);
    if (fclose(f) != 0 && rc == SC_OK) {
        rc = SC_E_NOMEM;
    }
    if (rc == SC_OK) {
        memcpy(path + base, ".txt", 5);
        rc = sc_file_write_atomic(path, buf, n);
    }
    free(buf);
    buf = NULL;
    if (rc == SC_OK) {
        rc = cli_receipt_link(link, sizeof link, board_url, r->code);
    }
    if (rc == SC_OK) {
        rc = cli_receipt_svg(link, &buf, &n);
    }
    if (rc == SC_OK) {
        memcpy(path + base, ".svg", 5);
        rc = sc_file_write_atomic(path, buf, n);
    }
    free(buf);
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s: cannot write the receipt: %s", path,
                 sc_strerror(rc));
    }
    return rc;
}

sc_status cli_receipt_write(const cli_receipt *r, const char *dir,
                            const char *board_url, char *err, size_t errlen)
{
    if (strcmp(dir, "-") == 0) {
        sc_status rc = cli_receipt_print(stdout, r, board_url);
        if (rc == SC_OK && (fputc('\n', stdout) == EOF || fflush(stdout))) {
            rc = SC_E_IO;
        }
        if (rc != SC_OK) {
            snprintf(err, errlen, "receipt of \"%s\": %s", r->id,
                     sc_strerror(rc));
        }
        return rc;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot make the directory", dir);
        return SC_E_IO;
    }
    return write_one(r, dir, board_url, err, errlen);
}

sc_status cli_receipts_write(const cli_receipts *l, const char *dir,
                             const char *board_url, char *err, size_t errlen)
{
    for (size_t i = 0; i < l->n; i++) {
        sc_status rc = cli_receipt_write(&l->r[i], dir, board_url, err, errlen);
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}

void cli_receipts_clear(cli_receipts *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->r[i].id);
    }
    free(l->r);
    l->r = NULL;
    l->n = l->cap = 0;
}
