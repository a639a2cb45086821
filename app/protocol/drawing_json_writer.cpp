// One line written as QJsonDocument writes it, by our own writer: measured against RapidJSON's
// Writer in docs/PERFORMANCE.md (1.4-3.2 times our CPU, and not QJsonDocument's bytes, which the
// server's per-line cache and tst_drawing_json_writer rely on); simdjson 3.0.1 has no writer.
#include "drawing_json.h"

#include <QVarLengthArray>
#include <charconv>
#include <cmath>
#include <cstring>

namespace chalk::protocol {

namespace {

// Writes into a buffer sized beforehand for the worst case (see encodeLineJson).
class Writer {
public:
    explicit Writer(char *buffer)
        : p(buffer)
    {}
    char *p;

    void raw(const char *text, size_t n)
    {
        std::memcpy(p, text, n);
        p += n;
    }
    template <size_t N> void raw(const char (&text)[N]) { raw(text, N - 1); }

    // A string's text between its quotes, as QJsonDocument writes it: ", \ and controls escaped (\b
    // \f \n \r \t, others as \u00XX), everything else as UTF-8, except a surrogate without its
    // partner: \uXXXX.
    void chars(QStringView s)
    {
        const char16_t *src = s.utf16();
        const char16_t *const end = src + s.size();
        while (src < end) {
            const char16_t u = *src++;
            if (u >= 0x20 && u < 0x80 && u != '"' && u != '\\') {
                *p++ = char(u); // the usual case: uuids, colours, tools
            } else if (u < 0x80) {
                *p++ = '\\';
                switch (u) {
                case '"':
                    *p++ = '"';
                    break;
                case '\\':
                    *p++ = '\\';
                    break;
                case '\b':
                    *p++ = 'b';
                    break;
                case '\f':
                    *p++ = 'f';
                    break;
                case '\n':
                    *p++ = 'n';
                    break;
                case '\r':
                    *p++ = 'r';
                    break;
                case '\t':
                    *p++ = 't';
                    break;
                default:
                    escape(u);
                }
            } else if (u < 0x800) {
                *p++ = char(0xc0 | (u >> 6));
                *p++ = char(0x80 | (u & 0x3f));
            } else if (!QChar::isSurrogate(u)) {
                *p++ = char(0xe0 | (u >> 12));
                *p++ = char(0x80 | ((u >> 6) & 0x3f));
                *p++ = char(0x80 | (u & 0x3f));
            } else if (QChar::isHighSurrogate(u) && src < end && QChar::isLowSurrogate(*src)) {
                const char32_t c = QChar::surrogateToUcs4(u, *src++);
                *p++ = char(0xf0 | (c >> 18));
                *p++ = char(0x80 | ((c >> 12) & 0x3f));
                *p++ = char(0x80 | ((c >> 6) & 0x3f));
                *p++ = char(0x80 | (c & 0x3f));
            } else {
                *p++ = '\\';
                escape(u);
            }
        }
    }

    // As QJsonValue(double) + QJsonDocument: an integer up to 2^53 as an integer (so -0 is
    // "0"), anything else finite in the shortest form that reads back as the same double.
    void number(double d)
    {
        if (!std::isfinite(d)) {
            raw("null");
            return;
        }
        constexpr double kMaxExact = 9007199254740992.0; // 2^53
        if (d >= -kMaxExact && d <= kMaxExact && d == std::trunc(d)) {
            integer(qint64(d), 0);
            return;
        }
        // Points are mostly "123.4": the digits with at most kMaxDecimals decimals are the
        // shortest form when they read back as d, since their spacing (>= 1e-4) is far wider
        // than the double's (<= 2^-22 below 2^30), so no other number of as many digits does.
        if (std::abs(d) < 1073741824.0) { // 2^30
            static constexpr double kPow10[] = {1, 1e1, 1e2, 1e3, 1e4};
            for (int decimals = 1; decimals <= kMaxDecimals; ++decimals) {
                const double scaled = std::nearbyint(d * kPow10[decimals]);
                if (scaled / kPow10[decimals] == d) {
                    // Below 1 QJsonDocument writes the shorter of "0.000ddd" and "d.dde-04"
                    // (the decimal one on a tie): with 1 to 3 decimals the decimal one is
                    // never longer; with 4 only a single digit, "0.0001" against "1e-04", is.
                    if (decimals == 4 && std::abs(scaled) < 10)
                        break;
                    integer(qint64(scaled), decimals);
                    return;
                }
            }
        }
        // QJsonDocument writes QByteArray::number(d, 'g', QLocale::FloatingPointShortest): the
        // shortest digits that read back as d, in the shorter of the decimal and the exponent
        // form ("1e-05", "1.5e+17"), decimal on a tie. std::to_chars(d) is specified to give
        // that too (printf's %f or %e, the shortest, %f on a tie), 5x faster -- except that
        // its decimal form of a whole number prints the exact digits where Qt pads the
        // shortest ones with zeros ("9223372036854775808", not "9223372036854776000"). Above
        // 2^53 every double is whole: those (rare) go through Qt itself.
        if (std::abs(d) < kMaxExact) {
            p = std::to_chars(p, p + kMaxNumberSize, d).ptr;
            return;
        }
        const QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
        raw(text.constData(), size_t(text.size()));
    }

    static constexpr int kMaxDecimals = 4;
    static constexpr size_t kMaxNumberSize = 32; // "-2.2250738585072014e-308" and some

private:
    void escape(char16_t u)
    {
        static constexpr char hex[] = "0123456789abcdef";
        *p++ = 'u';
        *p++ = hex[(u >> 12) & 0xf];
        *p++ = hex[(u >> 8) & 0xf];
        *p++ = hex[(u >> 4) & 0xf];
        *p++ = hex[u & 0xf];
    }

    // v written with a decimal point before its last `decimals` digits ("-12.05" for
    // v = -1205, decimals = 2), trailing fraction zeros dropped.
    void integer(qint64 v, int decimals)
    {
        if (v < 0)
            *p++ = '-';
        quint64 u = v < 0 ? quint64(0) - quint64(v) : quint64(v);
        char digits[24];
        int n = 0;
        do {
            digits[n++] = char('0' + u % 10);
            u /= 10;
        } while (u);
        while (n <= decimals)
            digits[n++] = '0'; // 0.05: a leading zero
        int last = 0;
        while (last < decimals && digits[last] == '0')
            ++last; // not a shortest form otherwise, but harmless
        for (int i = n - 1; i >= last; --i) {
            if (i == decimals - 1)
                *p++ = '.';
            *p++ = digits[i];
        }
    }
};

} // namespace

QByteArray encodeLineJson(const Line &line)
{
    // Keys in QJsonObject's order (sorted); width and user_uuid only when Line::toJson has them.
    // The buffer holds the worst case: 6 bytes per UTF-16 unit ("\uXXXX"), 32 per number.
    const bool withUser = !line.userUuid.isEmpty();
    const bool withWidth = line.width > 0;
    const qsizetype units =
        line.color.size() + 2 * line.uuid.size() + line.tool.size() + line.userUuid.size();
    QVarLengthArray<char, 8192> buffer;
    buffer.resize(128 + 6 * units + (line.points.size() + 1) * (Writer::kMaxNumberSize + 1));
    Writer w(buffer.data());
    w.raw("{\"color\":\"");
    w.chars(line.color);
    w.raw("\",\"name\":\"line-");
    w.chars(line.uuid);
    w.raw("\",\"points\":[");
    bool first = true;
    for (const double d : line.points) {
        if (!first)
            *w.p++ = ',';
        first = false;
        w.number(d);
    }
    w.raw("],\"tool\":\"");
    w.chars(line.tool);
    if (withUser) {
        w.raw("\",\"user_uuid\":\"");
        w.chars(line.userUuid);
    }
    w.raw("\",\"uuid\":\"");
    w.chars(line.uuid);
    *w.p++ = '"';
    if (withWidth) {
        w.raw(",\"width\":");
        w.number(line.width);
    }
    *w.p++ = '}';
    return QByteArray(buffer.data(), w.p - buffer.data());
}

} // namespace chalk::protocol
