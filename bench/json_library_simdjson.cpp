// drawing_got read by simdjson On-Demand (json_library_decoders.h): the rules of
// protocol::decodeDrawingGot in simdjson's idiom.
#include "json_library_decoder_support.h"
#include "json_library_decoders.h"

#include <QJsonArray>
#include <QJsonObject>
#include <simdjson.h>
#include <string_view>

namespace chalk::bench {

using namespace decoders;

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

} // namespace chalk::bench
