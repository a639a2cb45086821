// A validated call as a type: Request<Call::EnterRoom> holds RoomRefArgs, and so on for every
// row of CHALK_CALLS. AnyRequest is the variant of them all, in the order of the Call enum, so
// a server that std::visit()s it with one overload per call fails to compile when one is missing.
#pragma once

#include "call_args.h"
#include "statements.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <tuple>
#include <utility>
#include <variant>

namespace chalk::protocol {

template <Call C> struct ArgsFor;
#define CHALK_ARGS_ENTRY(e, n, original, need, args, ...)                                          \
    template <> struct ArgsFor<Call::e> {                                                          \
        using type = args;                                                                         \
    };
CHALK_CALLS(CHALK_ARGS_ENTRY)
#undef CHALK_ARGS_ENTRY

template <Call C> using ArgsOf = typename ArgsFor<C>::type;

template <Call C> struct Request {
    static constexpr Call call = C;
    ArgsOf<C> args;
    QString clientId; // optional correlation id, echoed in the direct answer
};

// Request<Call(0)>, Request<Call(1)>, ...: the enum's values are the rows' indices.
template <std::size_t... I>
auto requestVariant(std::index_sequence<I...>) -> std::variant<Request<Call(I)>...>;
using AnyRequest = decltype(requestVariant(std::make_index_sequence<kCallCount>{}));

// The call an AnyRequest holds.
inline Call callOf(const AnyRequest &request)
{
    return Call(request.index());
}

// A call's arguments as the payload fields a client sends, from the same field list the
// server validates with: a client method names no field by string. An omitted optional (and
// a false flag) is left out, as the original client sends it.
namespace detail {
inline void putField(QJsonObject &o, const char *key, const QString &v)
{
    o.insert(QLatin1String(key), v);
}
inline void putField(QJsonObject &o, const char *key, int v)
{
    o.insert(QLatin1String(key), v);
}
inline void putField(QJsonObject &o, const char *key, double v)
{
    o.insert(QLatin1String(key), v);
}
inline void putField(QJsonObject &o, const char *key, bool v)
{
    if (v)
        o.insert(QLatin1String(key), true);
}
inline void putField(QJsonObject &o, const char *key, const QList<double> &v)
{
    QJsonArray a;
    for (double d : v)
        a.append(d);
    o.insert(QLatin1String(key), a);
}
template <typename T> void putField(QJsonObject &o, const char *key, const std::optional<T> &v)
{
    if (v)
        putField(o, key, *v);
}
} // namespace detail

template <typename Args> QJsonObject toFields(const Args &args)
{
    QJsonObject o;
    std::apply([&](const auto &...f) { (detail::putField(o, f.name, args.*(f.member)), ...); },
               Args::fields());
    return o;
}

} // namespace chalk::protocol
