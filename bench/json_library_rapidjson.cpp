// drawing_got read by RapidJSON, DOM and SAX (json_library_decoders.h): the rules of
// protocol::decodeDrawingGot in RapidJSON's idiom.
#include "json_library_decoder_support.h"
#include "json_library_decoders.h"

#include <QJsonArray>
#include <QJsonObject>
#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <string_view>

namespace chalk::bench {

using namespace decoders;

namespace {

constexpr unsigned kRapidFlags = rapidjson::kParseFullPrecisionFlag; // numbers as strtod reads them

std::string_view view(const rapidjson::Value &v)
{
    return {v.GetString(), v.GetStringLength()};
}

QJsonValue anyValue(const rapidjson::Value &v)
{
    switch (v.GetType()) {
    case rapidjson::kObjectType: {
        QJsonObject o;
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
            o.insert(qstr(view(it->name)), anyValue(it->value));
        return o;
    }
    case rapidjson::kArrayType: {
        QJsonArray a;
        for (const rapidjson::Value &e : v.GetArray())
            a.append(anyValue(e));
        return a;
    }
    case rapidjson::kStringType:
        return qstr(view(v));
    case rapidjson::kNumberType:
        return v.GetDouble();
    case rapidjson::kTrueType:
        return true;
    case rapidjson::kFalseType:
        return false;
    case rapidjson::kNullType:
        break;
    }
    return QJsonValue(QJsonValue::Null);
}

void domLine(const rapidjson::Value &object, Line *l)
{
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        const std::string_view key = view(it->name);
        const rapidjson::Value &v = it->value;
        if (key == "points") {
            l->points.clear();
            if (!v.IsArray())
                continue;
            l->points.reserve(qsizetype(v.Size()));
            for (const rapidjson::Value &e : v.GetArray())
                l->points.append(e.IsNumber() ? e.GetDouble() : 0.0);
        } else if (QString *text = textField(l, key)) {
            *text = v.IsString() ? qstr(view(v)) : QString();
        } else if (key == "width") {
            l->width = v.IsNumber() ? v.GetDouble() : 0.0;
        }
    }
}

void domDrawing(const rapidjson::Value &object, Drawing *d)
{
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        const std::string_view key = view(it->name);
        const rapidjson::Value &v = it->value;
        if (key == "lines") {
            d->lines.clear();
            if (!v.IsArray())
                continue;
            d->lines.reserve(qsizetype(v.Size()));
            for (const rapidjson::Value &e : v.GetArray()) {
                Line l;
                if (e.IsObject())
                    domLine(e, &l);
                d->lines.append(std::move(l));
            }
        } else if (key == "uuid") {
            d->uuid = v.IsString() ? qstr(view(v)) : QString();
        }
    }
}

} // namespace

std::optional<DecodedDrawing> rapidjsonDomDecode(QByteArrayView utf8)
{
    rapidjson::Document doc;
    doc.Parse<kRapidFlags>(utf8.data(), size_t(utf8.size()));
    if (doc.HasParseError() || !doc.IsObject())
        return std::nullopt;
    QString typeName;
    QJsonObject payload;
    std::optional<Drawing> drawing;
    bool sawPayload = false;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string_view key = view(it->name);
        if (key == "type") {
            typeName = it->value.IsString() ? qstr(view(it->value)) : QString();
        } else if (key == "payload") {
            if (!it->value.IsObject())
                return std::nullopt;
            sawPayload = true;
            int bestRank = 99;
            for (auto p = it->value.MemberBegin(); p != it->value.MemberEnd(); ++p) {
                const std::string_view pkey = view(p->name);
                const int rank = objectRank(pkey);
                if (rank >= 0 && p->value.IsObject()) {
                    Drawing d;
                    domDrawing(p->value, &d);
                    if (rank <= bestRank) {
                        bestRank = rank;
                        drawing = std::move(d);
                    }
                    payload.remove(qstr(pkey));
                } else {
                    payload.insert(qstr(pkey), anyValue(p->value));
                }
            }
        }
    }
    if (!sawPayload)
        return std::nullopt;
    return finish(typeName, std::move(payload), std::move(drawing));
}

namespace {

// The SAX walk: a stack of the places it understands (root, payload, drawing, lines, line,
// points); anything else is built as a QJsonValue on a second stack and handed, when complete,
// to the place it sits in.
class SaxDrawing : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, SaxDrawing> {
public:
    QString typeName;
    QJsonObject payload;
    std::optional<Drawing> drawing;
    bool sawPayload = false;

    bool StartObject() { return open(true); }
    bool StartArray() { return open(false); }
    bool EndObject(rapidjson::SizeType) { return end(); }
    bool EndArray(rapidjson::SizeType) { return end(); }
    bool Key(const char *s, rapidjson::SizeType n, bool)
    {
        if (!m_any.empty())
            m_any.back().key = qstr({s, n});
        else
            m_key.assign(s, n);
        return true;
    }
    bool String(const char *s, rapidjson::SizeType n, bool)
    {
        if (m_any.empty() && !m_at.empty() && m_at.back() == At::Line) {
            if (QString *text = textField(&m_line(), m_key)) {
                *text = qstr({s, n});
                return true;
            }
        }
        return scalar(qstr({s, n}));
    }
    bool Double(double d)
    {
        if (m_any.empty() && !m_at.empty()) {
            if (m_at.back() == At::Points) {
                m_line().points.append(d);
                return true;
            }
            if (m_at.back() == At::Line && m_key == "width") {
                m_line().width = d;
                return true;
            }
        }
        return scalar(d);
    }
    bool Int(int i) { return Double(i); }
    bool Uint(unsigned u) { return Double(u); }
    bool Int64(int64_t i) { return Double(double(i)); }
    bool Uint64(uint64_t u) { return Double(double(u)); }
    bool Null() { return scalar(QJsonValue(QJsonValue::Null)); }
    bool Bool(bool b) { return scalar(b); }
    bool Default() { return false; }

private:
    enum class At { Root, Payload, Drawing, Lines, Line, Points };
    struct Open {
        bool object;
        QJsonObject o;
        QJsonArray a;
        QString key;
    };
    std::vector<At> m_at;
    std::vector<Open> m_any;
    std::string m_key;        // the last key in the innermost place on m_at
    std::string m_payloadKey; // the payload key of the drawing being read
    Drawing m_drawing;
    int m_bestRank = 99;
    bool m_rootSeen = false;

    Line &m_line() { return m_drawing.lines.last(); }

    bool open(bool object)
    {
        if (m_any.empty()) {
            if (startKnown(object))
                return true;
            if (m_at.empty())
                return false; // the root is not an object
        }
        m_any.push_back({object, {}, {}, {}});
        return m_any.size() < 256; // deeper nesting is refused, as decodeDrawingGot does
    }

    // An object or array opened where the walk knows what it is; false: build it as a value.
    bool startKnown(bool object)
    {
        if (m_at.empty()) {
            if (!object || m_rootSeen)
                return false;
            m_rootSeen = true;
            m_at.push_back(At::Root);
            return true;
        }
        switch (m_at.back()) {
        case At::Root:
            if (object && m_key == "payload") {
                sawPayload = true;
                m_bestRank = 99;
                m_at.push_back(At::Payload);
                return true;
            }
            return false;
        case At::Payload:
            if (object && objectRank(m_key) >= 0) {
                m_payloadKey = m_key;
                m_drawing = Drawing{};
                m_at.push_back(At::Drawing);
                return true;
            }
            return false;
        case At::Drawing:
            if (!object && m_key == "lines") {
                m_drawing.lines.clear();
                m_at.push_back(At::Lines);
                return true;
            }
            return false;
        case At::Lines:
            if (object) {
                m_drawing.lines.append(Line{});
                m_at.push_back(At::Line);
                return true;
            }
            return false;
        case At::Line:
            if (!object && m_key == "points") {
                m_line().points.clear();
                m_line().points.reserve(256);
                m_at.push_back(At::Points);
                return true;
            }
            return false;
        case At::Points:
            return false;
        }
        return false;
    }

    bool end()
    {
        if (!m_any.empty()) {
            Open done = std::move(m_any.back());
            m_any.pop_back();
            return scalar(done.object ? QJsonValue(done.o) : QJsonValue(done.a));
        }
        if (m_at.empty())
            return false;
        const At closed = m_at.back();
        m_at.pop_back();
        if (closed == At::Drawing) {
            const int rank = objectRank(m_payloadKey);
            if (rank <= m_bestRank) {
                m_bestRank = rank;
                drawing = std::move(m_drawing);
            }
            payload.remove(qstr(m_payloadKey));
        }
        return true;
    }

    // A complete value (a scalar, or a built object or array) where it stands.
    bool scalar(const QJsonValue &v)
    {
        if (!m_any.empty()) {
            Open &top = m_any.back();
            if (top.object)
                top.o.insert(top.key, v);
            else
                top.a.append(v);
            return true;
        }
        if (m_at.empty())
            return false; // the root is not an object
        switch (m_at.back()) {
        case At::Root:
            if (m_key == "payload")
                return false; // decodeDrawingGot wants an object there
            if (m_key == "type")
                typeName = v.toString();
            return true;
        case At::Payload:
            payload.insert(qstr(m_key), v);
            return true;
        case At::Drawing:
            if (m_key == "uuid")
                m_drawing.uuid = v.toString();
            else if (m_key == "lines")
                m_drawing.lines.clear();
            return true;
        case At::Lines:
            m_drawing.lines.append(Line{}); // a non-object is an empty line there too
            return true;
        case At::Line:
            if (QString *text = textField(&m_line(), m_key))
                *text = v.toString();
            else if (m_key == "width")
                m_line().width = v.toDouble();
            else if (m_key == "points")
                m_line().points.clear();
            return true;
        case At::Points:
            m_line().points.append(0); // anything else counts as 0
            return true;
        }
        return false;
    }
};

} // namespace

std::optional<DecodedDrawing> rapidjsonSaxDecode(QByteArrayView utf8)
{
    rapidjson::MemoryStream ms(utf8.data(), size_t(utf8.size()));
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
    rapidjson::Reader reader;
    SaxDrawing handler;
    if (reader.Parse<kRapidFlags>(in, handler).IsError() || !handler.sawPayload)
        return std::nullopt;
    return finish(handler.typeName, std::move(handler.payload), std::move(handler.drawing));
}

} // namespace chalk::bench
