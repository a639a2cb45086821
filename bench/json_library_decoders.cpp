// drawing_got readers on simdjson and RapidJSON (json_library_decoders.h): the rules of
// protocol::decodeDrawingGot, each walk written in the library's own idiom.
#include "json_library_decoders.h"

#include "protocol/statements.h"

#include <QJsonArray>
#include <QJsonObject>
#include <string_view>

#ifdef CHALK_HAVE_SIMDJSON
#include <simdjson.h>
#endif
#ifdef CHALK_HAVE_RAPIDJSON
#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#endif

namespace chalk::bench {

using protocol::DecodedDrawing;
using protocol::Drawing;
using protocol::Line;

namespace {

QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The payload's object candidates, in the order ChatClient's objectOf() tries them.
int objectRank(std::string_view key)
{
    static constexpr std::string_view keys[] = {"object",  "room",    "user",
                                                "message", "drawing", "line"};
    for (int i = 0; i < 6; ++i) {
        if (key == keys[i])
            return i;
    }
    return -1;
}

// The line's string fields by key; nullptr for any other key.
QString *textField(Line *l, std::string_view key)
{
    return key == "uuid"        ? &l->uuid
           : key == "tool"      ? &l->tool
           : key == "color"     ? &l->color
           : key == "user_uuid" ? &l->userUuid
                                : nullptr;
}

// What a walk collected, as decodeDrawingGot answers it.
std::optional<DecodedDrawing> finish(const QString &typeName, QJsonObject payload,
                                     std::optional<Drawing> drawing)
{
    const auto type = protocol::typeFromName(typeName);
    const QJsonValue message = payload.value(QLatin1String("message"));
    if (type != protocol::Type::Result || !message.isString() ||
        message.toString() != protocol::name(protocol::Result::DrawingGot))
        return std::nullopt;
    return DecodedDrawing{protocol::Envelope{*type, message.toString(), std::move(payload)},
                          drawing ? std::move(*drawing) : Drawing{}};
}

} // namespace

// ---- simdjson On-Demand --------------------------------------------------------------------

#ifdef CHALK_HAVE_SIMDJSON

namespace sj = simdjson::ondemand;

struct SimdjsonDrawingReader::Parser {
    sj::parser parser;
};

namespace {

QJsonValue anyValue(sj::value v)
{
    switch (sj::json_type(v.type())) {
    case sj::json_type::object: {
        QJsonObject o;
        for (sj::field f : v.get_object()) {
            const QString key = qstr(f.unescaped_key());
            o.insert(key, anyValue(f.value()));
        }
        return o;
    }
    case sj::json_type::array: {
        QJsonArray a;
        for (sj::value e : v.get_array())
            a.append(anyValue(e));
        return a;
    }
    case sj::json_type::string:
        return qstr(v.get_string());
    case sj::json_type::number:
        return double(v.get_double());
    case sj::json_type::boolean:
        return bool(v.get_bool());
    case sj::json_type::null:
        if (!v.is_null())
            throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
        return QJsonValue(QJsonValue::Null);
    }
    throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
}

void readLine(sj::object object, Line *l)
{
    for (sj::field f : object) {
        const std::string_view key = f.unescaped_key();
        sj::value v = f.value();
        if (key == "points") {
            l->points.clear();
            if (sj::json_type(v.type()) != sj::json_type::array) {
                anyValue(v); // not an array: no points
                continue;
            }
            l->points.reserve(256);
            for (sj::value e : v.get_array()) {
                double d = 0;
                if (e.get_double().get(d) != simdjson::SUCCESS) {
                    anyValue(e); // anything else counts as 0, as QJsonValue::toDouble
                    d = 0;
                }
                l->points.append(d);
            }
        } else if (QString *text = textField(l, key)) {
            std::string_view s;
            *text = v.get_string().get(s) == simdjson::SUCCESS ? qstr(s) : anyValue(v).toString();
        } else if (key == "width") {
            double d = 0;
            l->width = v.get_double().get(d) == simdjson::SUCCESS ? d : anyValue(v).toDouble();
        } else {
            anyValue(v);
        }
    }
}

void readDrawing(sj::object object, Drawing *d)
{
    for (sj::field f : object) {
        const std::string_view key = f.unescaped_key();
        sj::value v = f.value();
        if (key == "lines" && sj::json_type(v.type()) == sj::json_type::array) {
            d->lines.clear();
            for (sj::value e : v.get_array()) {
                Line l;
                if (sj::json_type(e.type()) == sj::json_type::object)
                    readLine(e.get_object(), &l);
                else
                    anyValue(e); // a non-object is an empty line there too
                d->lines.append(std::move(l));
            }
            continue;
        }
        const QJsonValue value = anyValue(v);
        if (key == "uuid")
            d->uuid = value.toString();
        else if (key == "lines")
            d->lines.clear(); // not an array: no lines
    }
}

} // namespace

SimdjsonDrawingReader::SimdjsonDrawingReader()
    : m_parser(std::make_unique<Parser>())
{}

SimdjsonDrawingReader::~SimdjsonDrawingReader() = default;

const char *SimdjsonDrawingReader::implementation()
{
    static const std::string name = simdjson::get_active_implementation()->name();
    return name.c_str();
}

std::optional<DecodedDrawing> SimdjsonDrawingReader::decode(const char *text, qsizetype size,
                                                            qsizetype capacity)
{
    if (capacity < size + qsizetype(simdjson::SIMDJSON_PADDING))
        return std::nullopt;
    try {
        sj::document doc = m_parser->parser.iterate(text, size_t(size), size_t(capacity));
        QString typeName;
        QJsonObject payload;
        std::optional<Drawing> drawing;
        bool sawPayload = false;
        for (sj::field f : doc.get_object()) {
            const std::string_view key = f.unescaped_key();
            sj::value v = f.value();
            if (key != "payload") {
                const QJsonValue value = anyValue(v);
                if (key == "type")
                    typeName = value.toString();
                continue;
            }
            sawPayload = true;
            int bestRank = 99;
            for (sj::field pf : v.get_object()) {
                const std::string_view pkey = pf.unescaped_key();
                sj::value pv = pf.value();
                const int rank = objectRank(pkey);
                if (rank >= 0 && sj::json_type(pv.type()) == sj::json_type::object) {
                    Drawing d;
                    readDrawing(pv.get_object(), &d);
                    if (rank <= bestRank) {
                        bestRank = rank;
                        drawing = std::move(d);
                    }
                    payload.remove(qstr(pkey));
                } else {
                    payload.insert(qstr(pkey), anyValue(pv));
                }
            }
        }
        // Nothing may follow the root object.
        if (!sawPayload || doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
            return std::nullopt;
        return finish(typeName, std::move(payload), std::move(drawing));
    } catch (const simdjson::simdjson_error &) {
        return std::nullopt;
    }
}

#endif // CHALK_HAVE_SIMDJSON

// ---- RapidJSON -----------------------------------------------------------------------------

#ifdef CHALK_HAVE_RAPIDJSON

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

#endif // CHALK_HAVE_RAPIDJSON

} // namespace chalk::bench
