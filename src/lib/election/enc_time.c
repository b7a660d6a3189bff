/* The encryption time of a ballot (spec §3.7: the record holds "the date
 * and time of the ballot encryption"; docs/RECORD.md): its one form. */
#include "scrutin/ballot.h"

#include <string.h>

static int digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = 10 * v + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 1;
}

int sc_time_ok(const char *s)
{
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, se;
    if (s == NULL || strlen(s) != SC_TIME_LEN || s[4] != '-' || s[7] != '-' ||
        s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        !digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
        !digits(s + 17, 2, &se)) {
        return 0;
    }
    if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 59) {
        return 0;
    }
    unsigned md = mdays[mo - 1];
    if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) {
        md = 29;
    }
    return d >= 1 && d <= md;
}
