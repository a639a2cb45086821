// drawing_got read by our own strict JSON reader (RFC 8259) straight into Lines and points.
// Measured against simdjson and RapidJSON in docs/PERFORMANCE.md ("JSON: libraries measured
// against ours"): on a late joiner's first frame (a fresh process, one big frame) simdjson took
// 2-3 times this reader's time (its parser allocates and faults in ~6 bytes per byte of the
// frame), RapidJSON 1.3-1.7 times.
#include "answers.h"
#include "drawing_json.h"
#include "statements.h"

#include <QJsonArray>
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

    bool payloadObject(QJsonObject *payload, std::optional<Drawing> *drawing)
    {
        int bestRank = 99;
        return object([&](const QString &key) {
            const int rank = payloadObjectRank(key);
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

} // namespace chalk::protocol
