// The statement enums and names, generated from the rows of statement_table.h.
#pragma once

#include "statement_table.h"

#include <QAnyStringView>
#include <QLatin1String>
#include <QString>
#include <optional>

namespace chalk::protocol {

enum class Type { Call, Result, Error };

#define CHALK_ENUM_ENTRY(e, name, original, ...) e,
enum class Call { CHALK_CALLS(CHALK_ENUM_ENTRY) };
enum class Result { CHALK_RESULTS(CHALK_ENUM_ENTRY) };
enum class Error { CHALK_ERRORS(CHALK_ENUM_ENTRY) };
#undef CHALK_ENUM_ENTRY

#define CHALK_COUNT_ENTRY(e, ...) +1
inline constexpr int kCallCount = 0 CHALK_CALLS(CHALK_COUNT_ENTRY);
inline constexpr int kResultCount = 0 CHALK_RESULTS(CHALK_COUNT_ENTRY);
inline constexpr int kErrorCount = 0 CHALK_ERRORS(CHALK_COUNT_ENTRY);
#undef CHALK_COUNT_ENTRY

// What a call needs before it is served; checked in one place by the server's dispatch.
enum class Needs {
    Nothing,  // allowed before the password is given (authenticate)
    Admitted, // the password given (if asked), no identity needed: register, login
    Identity, // the connection has a user (user_created was sent)
    Room,     // ... and the user is in a room: else no_selected_room
};
Needs needs(Call call);

QLatin1String typeName(Type type);
std::optional<Type> typeFromName(QAnyStringView name);

QLatin1String name(Call call);
QLatin1String name(Result result);
QLatin1String name(Error error);
bool isOriginal(Call call);
bool isOriginal(Result result);
bool isOriginal(Error error);

std::optional<Call> callFromName(QAnyStringView name);
std::optional<Result> resultFromName(QAnyStringView name);
std::optional<Error> errorFromName(QAnyStringView name);

} // namespace chalk::protocol
