// The statement table: every call, result and error name of the protocol, in one place.
// The codec (validation) and the server's dispatch are both driven by these lists.
#pragma once

#include <QLatin1String>
#include <QAnyStringView>
#include <QString>
#include <optional>

namespace chalk::protocol {

enum class Type { Call, Result, Error };

// X(Enum, "wire_name", original?) -- original == part of socket_chat's protocol.
#define CHALK_CALLS(X)                                                                             \
    X(CreateRoom, "create_room", true)                                                             \
    X(EnterRoom, "enter_room", true)                                                               \
    X(LeaveRoom, "leave_room", true)                                                               \
    X(DeleteRoom, "delete_room", true)                                                             \
    X(ListRooms, "list_rooms", true)                                                               \
    X(ChangeColor, "change_color", true)                                                           \
    X(ChangeName, "change_name", true)                                                             \
    X(ChangeUserName, "change_user_name", true)                                                    \
    X(CreateMessage, "create_message", true)                                                       \
    X(ListMessages, "list_messages", true)                                                         \
    X(ChangeDrawLine, "change_draw_line", true)                                                    \
    X(GetDrawing, "get_drawing", true)                                                             \
    X(ResetDrawing, "reset_drawing", true)                                                         \
    X(Typing, "typing", false)                                                                     \
    X(RemoveDrawLine, "remove_draw_line", false)                                                   \
    X(Resume, "resume", false)                                                                     \
    X(Authenticate, "authenticate", false)

#define CHALK_RESULTS(X)                                                                           \
    X(UserCreated, "user_created", true)                                                           \
    X(RoomsListed, "rooms_listed", true)                                                           \
    X(RoomCreated, "room_created", true)                                                           \
    X(RoomEntered, "room_entered", true)                                                           \
    X(RoomLeft, "room_left", true)                                                                 \
    X(RoomDeleted, "room_deleted", true)                                                           \
    X(RoomChanged, "room_changed", true)                                                           \
    X(UserChanged, "user_changed", true)                                                           \
    X(MessageCreated, "message_created", true)                                                     \
    X(MessagesListed, "messages_listed", true)                                                     \
    X(DrawingGot, "drawing_got", true)                                                             \
    X(DrawLineChanged, "draw_line_changed", true)                                                  \
    X(UserTyping, "user_typing", false)                                                            \
    X(DrawLineRemoved, "draw_line_removed", false)                                                 \
    X(Resumed, "resumed", false)                                                                   \
    X(Authenticated, "authenticated", false)

#define CHALK_ERRORS(X)                                                                            \
    X(NoSelectedRoom, "no_selected_room", true)                                                    \
    X(NoSpecifiedRoom, "no_specified_room", true)                                                  \
    X(NotValidColor, "not_valid_color", true)                                                      \
    X(NotEmptyRoom, "not_empty_room", true)                                                        \
    X(BadData, "bad_data", true)                                                                   \
    X(DataTooLong, "data_too_long", true)                                                          \
    X(NotSufficientData, "not_sufficient_data", true)                                              \
    X(UnknownCall, "unknown_call", false)                                                          \
    X(WrongType, "wrong_type", false)                                                              \
    X(NoSuchMessage, "no_such_message", false)                                                     \
    X(NoSuchLine, "no_such_line", false)                                                           \
    X(NotYourLine, "not_your_line", false)                                                         \
    X(TooManyRooms, "too_many_rooms", false)                                                       \
    X(TooManyLines, "too_many_lines", false)                                                       \
    X(RateLimited, "rate_limited", false)                                                          \
    X(BadToken, "bad_token", false)                                                                \
    X(Unauthorized, "unauthorized", false)                                                         \
    X(StorageFailed, "storage_failed", false)

#define CHALK_ENUM_ENTRY(e, name, original) e,
enum class Call { CHALK_CALLS(CHALK_ENUM_ENTRY) };
enum class Result { CHALK_RESULTS(CHALK_ENUM_ENTRY) };
enum class Error { CHALK_ERRORS(CHALK_ENUM_ENTRY) };
#undef CHALK_ENUM_ENTRY

#define CHALK_COUNT_ENTRY(e, name, original) +1
inline constexpr int kCallCount = 0 CHALK_CALLS(CHALK_COUNT_ENTRY);
inline constexpr int kResultCount = 0 CHALK_RESULTS(CHALK_COUNT_ENTRY);
inline constexpr int kErrorCount = 0 CHALK_ERRORS(CHALK_COUNT_ENTRY);
#undef CHALK_COUNT_ENTRY

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
