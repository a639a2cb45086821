#include "drawing_json.h"

#include "statements.h"

#include <QJsonArray>
#include <QVarLengthArray>
#include <charconv>
#include <cmath>
#include <cstring>

namespace chalk::protocol {

namespace {

constexpr int kMaxDepth = 256; // deeper nesting is left to QJsonDocument (and refused there)

// A strict JSON reader (RFC 8259) that builds QJsonValues for small things and reads the
// drawing's lines and points straight into Line and QList<double>.
class Reader {
public:
    explicit Reader(QByteArrayView text)
        : p(text.data())
        , end(text.data() + text.size())
    {}

    bool atEnd()
    {
        ws();
        return p == end;
    }

    // The top-level envelope: {"type": ..., "payload": {...}} in any order.
    bool envelope(QString *type, QJsonObject *payload, std::optional<Drawing> *drawing)
    {
        bool sawPayload = false;
        return object([&](const QString &key) {
                   if (key == QLatin1String("payload")) {
                       sawPayload = true;
                       return payloadObject(payload, drawing);
                   }
                   QJsonValue v;
                   if (!value(&v, 1))
                       return false;
                   if (key == QLatin1String("type"))
                       *type = v.toString();
                   return true;
               }) &&
               sawPayload;
    }

private:
    const char *p;
    const char *end;

    void ws()
    {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            ++p;
    }
    bool eat(char c)
    {
        ws();
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        ws();
        return p < end && *p == c;
    }

    // {"key": <member(key) reads the value>, ...}
    template <typename Member> bool object(Member &&member)
    {
        if (!eat('{'))
            return false;
        if (eat('}'))
            return true;
        do {
            QString key;
            ws();
            if (!string(&key) || !eat(':') || !member(key))
                return false;
        } while (eat(','));
        return eat('}');
    }
    template <typename Element> bool array(Element &&element)
    {
        if (!eat('['))
            return false;
        if (eat(']'))
            return true;
        do {
            if (!element())
                return false;
        } while (eat(','));
        return eat(']');
    }

    // The payload's object candidates, in the order ChatClient's objectOf() tries them.
    static int objectRank(const QString &key)
    {
        static const char *const keys[] = {"object", "room", "user", "message", "drawing", "line"};
        for (int i = 0; i < 6; ++i) {
            if (key == QLatin1String(keys[i]))
                return i;
        }
        return -1;
    }

    bool payloadObject(QJsonObject *payload, std::optional<Drawing> *drawing)
    {
        int bestRank = 99;
        return object([&](const QString &key) {
            const int rank = objectRank(key);
            if (rank >= 0 && peek('{')) {
                Drawing d;
                if (!drawingObject(&d))
                    return false;
                if (rank <= bestRank) {
                    bestRank = rank;
                    *drawing = std::move(d);
                }
                payload->remove(key);
                return true;
            }
            QJsonValue v;
            if (!value(&v, 2))
                return false;
            payload->insert(key, v);
            return true;
        });
    }

    bool drawingObject(Drawing *d)
    {
        return object([&](const QString &key) {
            if (key == QLatin1String("lines") && peek('[')) {
                d->lines.clear();
                return array([&] {
                    Line l;
                    if (peek('{')) {
                        if (!lineObject(&l))
                            return false;
                    } else if (!value(nullptr, 4)) {
                        return false;
                    }
                    d->lines.append(std::move(l)); // a non-object is an empty line there too
                    return true;
                });
            }
            QJsonValue v;
            if (!value(&v, 3))
                return false;
            if (key == QLatin1String("uuid"))
                d->uuid = v.toString();
            else if (key == QLatin1String("lines"))
                d->lines.clear(); // not an array: no lines
            return true;
        });
    }

    bool lineObject(Line *l)
    {
        return object([&](const QString &key) {
            if (key == QLatin1String("points") && peek('[')) {
                l->points.clear();
                l->points.reserve(256);
                return array([&] {
                    ws();
                    double x = 0;
                    if (p < end && (*p == '-' || (*p >= '0' && *p <= '9'))) {
                        if (!number(&x))
                            return false;
                    } else if (!value(nullptr, 6)) {
                        return false; // anything else counts as 0, as QJsonValue::toDouble
                    }
                    l->points.append(x);
                    return true;
                });
            }
            // The usual shapes read directly; anything else through a QJsonValue below.
            QString *text = key == QLatin1String("uuid")        ? &l->uuid
                            : key == QLatin1String("tool")      ? &l->tool
                            : key == QLatin1String("color")     ? &l->color
                            : key == QLatin1String("user_uuid") ? &l->userUuid
                                                                : nullptr;
            if (text && peek('"'))
                return string(text);
            ws();
            if (key == QLatin1String("width") && p < end && (*p == '-' || (*p >= '0' && *p <= '9')))
                return number(&l->width);
            QJsonValue v;
            if (!value(&v, 5))
                return false;
            if (key == QLatin1String("uuid"))
                l->uuid = v.toString();
            else if (key == QLatin1String("tool"))
                l->tool = v.toString();
            else if (key == QLatin1String("color"))
                l->color = v.toString();
            else if (key == QLatin1String("width"))
                l->width = v.toDouble();
            else if (key == QLatin1String("user_uuid"))
                l->userUuid = v.toString();
            else if (key == QLatin1String("points"))
                l->points.clear(); // not an array: no points
            return true;
        });
    }

    // Any value; stored in *out when out is set.
    bool value(QJsonValue *out, int depth)
    {
        if (depth > kMaxDepth)
            return false;
        ws();
        if (p == end)
            return false;
        switch (*p) {
        case '{': {
            QJsonObject o;
            if (!object([&](const QString &key) {
                    QJsonValue v;
                    if (!value(out ? &v : nullptr, depth + 1))
                        return false;
                    if (out)
                        o.insert(key, v);
                    return true;
                }))
                return false;
            if (out)
                *out = o;
            return true;
        }
        case '[': {
            QJsonArray a;
            if (!array([&] {
                    QJsonValue v;
                    if (!value(out ? &v : nullptr, depth + 1))
                        return false;
                    if (out)
                        a.append(v);
                    return true;
                }))
                return false;
            if (out)
                *out = a;
            return true;
        }
        case '"': {
            QString s;
            if (!string(&s))
                return false;
            if (out)
                *out = s;
            return true;
        }
        case 't':
            return literal("true", out, QJsonValue(true));
        case 'f':
            return literal("false", out, QJsonValue(false));
        case 'n':
            return literal("null", out, QJsonValue(QJsonValue::Null));
        default: {
            double d = 0;
            if (!number(&d))
                return false;
            if (out)
                *out = d;
            return true;
        }
        }
    }

    bool literal(const char *word, QJsonValue *out, const QJsonValue &v)
    {
        const size_t n = std::strlen(word);
        if (size_t(end - p) < n || std::memcmp(p, word, n) != 0)
            return false;
        p += n;
        if (out)
            *out = v;
        return true;
    }

    bool number(double *out)
    {
        const char *start = p;
        if (p < end && *p == '-')
            ++p;
        if (p == end || *p < '0' || *p > '9')
            return false;
        // The common case, "123.4": digits read into an exact integer, then one division by
        // an exact power of ten -- correctly rounded, like strtod (Clinger's fast path).
        quint64 mantissa = 0;
        int digits = 0, fraction = 0;
        if (*p == '0') {
            ++p;
        } else {
            while (p < end && *p >= '0' && *p <= '9') {
                mantissa = mantissa * 10 + quint64(*p++ - '0');
                ++digits;
            }
        }
        if (p < end && *p == '.') {
            ++p;
            if (p == end || *p < '0' || *p > '9')
                return false;
            while (p < end && *p >= '0' && *p <= '9') {
                mantissa = mantissa * 10 + quint64(*p++ - '0');
                ++digits;
                ++fraction;
            }
        }
        bool exponent = false;
        if (p < end && (*p == 'e' || *p == 'E')) {
            exponent = true;
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (p == end || *p < '0' || *p > '9')
                return false;
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        }
        static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        if (!exponent && digits <= 15) {
            const double v = double(mantissa) / kPow10[fraction];
            *out = *start == '-' ? -v : v;
            return true;
        }
        const auto r = std::from_chars(start, p, *out);
        return r.ec == std::errc() && r.ptr == p && std::isfinite(*out);
    }

    static bool hex4(const char *q, char16_t *out)
    {
        char16_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = q[i];
            v = char16_t(v << 4);
            if (c >= '0' && c <= '9')
                v |= char16_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= char16_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= char16_t(c - 'A' + 10);
            else
                return false;
        }
        *out = v;
        return true;
    }

    bool string(QString *out)
    {
        if (p == end || *p != '"')
            return false;
        const char *start = ++p;
        while (p < end && *p != '"' && *p != '\\') {
            if (uchar(*p) < 0x20)
                return false;
            ++p;
        }
        if (p == end)
            return false;
        if (*p == '"') { // no escapes: the usual case (uuids, colours)
            *out = QString::fromUtf8(start, p - start);
            ++p;
            return true;
        }
        QString s = QString::fromUtf8(start, p - start);
        while (p < end && *p != '"') {
            if (*p != '\\') {
                const char *run = p;
                while (p < end && *p != '"' && *p != '\\') {
                    if (uchar(*p) < 0x20)
                        return false;
                    ++p;
                }
                s += QString::fromUtf8(run, p - run);
                continue;
            }
            if (++p == end)
                return false;
            switch (*p++) {
            case '"':
                s += QLatin1Char('"');
                break;
            case '\\':
                s += QLatin1Char('\\');
                break;
            case '/':
                s += QLatin1Char('/');
                break;
            case 'b':
                s += QLatin1Char('\b');
                break;
            case 'f':
                s += QLatin1Char('\f');
                break;
            case 'n':
                s += QLatin1Char('\n');
                break;
            case 'r':
                s += QLatin1Char('\r');
                break;
            case 't':
                s += QLatin1Char('\t');
                break;
            case 'u': {
                char16_t u;
                if (end - p < 4 || !hex4(p, &u))
                    return false;
                p += 4;
                s += QChar(u); // surrogate halves come as two escapes and pair up in s
                break;
            }
            default:
                return false;
            }
        }
        if (p == end)
            return false;
        ++p;
        *out = s;
        return true;
    }
};

// ---- writing -------------------------------------------------------------------------------

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

std::optional<DecodedDrawing> decodeDrawingGot(QByteArrayView utf8)
{
    Reader reader(utf8);
    QString typeName;
    QJsonObject payload;
    std::optional<Drawing> drawing;
    if (!reader.envelope(&typeName, &payload, &drawing) || !reader.atEnd())
        return std::nullopt;
    const auto type = typeFromName(typeName);
    const QJsonValue message = payload.value(QLatin1String("message"));
    if (type != Type::Result || !message.isString() ||
        message.toString() != name(Result::DrawingGot))
        return std::nullopt;
    DecodedDrawing out{Envelope{*type, message.toString(), payload},
                       drawing ? std::move(*drawing) : Drawing{}};
    return out;
}

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
