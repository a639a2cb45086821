#include "statements.h"

#include <array>

namespace chalk::protocol {
namespace {

struct Entry {
    QLatin1String name;
    bool original;
};

#define CHALK_TABLE_ENTRY(e, n, original, ...) Entry{QLatin1String(n), original},
constexpr std::array callTable{CHALK_CALLS(CHALK_TABLE_ENTRY)};
constexpr std::array resultTable{CHALK_RESULTS(CHALK_TABLE_ENTRY)};
constexpr std::array errorTable{CHALK_ERRORS(CHALK_TABLE_ENTRY)};
#undef CHALK_TABLE_ENTRY

#define CHALK_NEEDS_ENTRY(e, n, original, need, ...) Needs::need,
constexpr std::array needsTable{CHALK_CALLS(CHALK_NEEDS_ENTRY)};
#undef CHALK_NEEDS_ENTRY

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<Entry, N> &table, QAnyStringView name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (QAnyStringView::equal(name, table[i].name))
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace

QLatin1String typeName(Type type)
{
    switch (type) {
    case Type::Call:
        return QLatin1String("call");
    case Type::Result:
        return QLatin1String("result");
    case Type::Error:
        return QLatin1String("error");
    }
    return QLatin1String("error");
}

std::optional<Type> typeFromName(QAnyStringView name)
{
    for (Type t : {Type::Call, Type::Result, Type::Error}) {
        if (QAnyStringView::equal(name, typeName(t)))
            return t;
    }
    return std::nullopt;
}

QLatin1String name(Call call)
{
    return callTable[std::size_t(call)].name;
}
QLatin1String name(Result result)
{
    return resultTable[std::size_t(result)].name;
}
QLatin1String name(Error error)
{
    return errorTable[std::size_t(error)].name;
}
Needs needs(Call call)
{
    return needsTable[std::size_t(call)];
}
bool isOriginal(Call call)
{
    return callTable[std::size_t(call)].original;
}
bool isOriginal(Result result)
{
    return resultTable[std::size_t(result)].original;
}
bool isOriginal(Error error)
{
    return errorTable[std::size_t(error)].original;
}

std::optional<Call> callFromName(QAnyStringView n)
{
    return lookup<Call>(callTable, n);
}
std::optional<Result> resultFromName(QAnyStringView n)
{
    return lookup<Result>(resultTable, n);
}
std::optional<Error> errorFromName(QAnyStringView n)
{
    return lookup<Error>(errorTable, n);
}

} // namespace chalk::protocol
