// A validated call as a type: Request<Call::EnterRoom> holds RoomRefArgs, and so on for every
// row of CHALK_CALLS. AnyRequest is the variant of them all, in the order of the Call enum, so
// a server that std::visit()s it with one overload per call fails to compile when one is missing.
#pragma once

#include "call_args.h"
#include "statements.h"

#include <QString>
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

} // namespace chalk::protocol
