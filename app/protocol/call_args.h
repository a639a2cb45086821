// The typed arguments of every call. Each struct lists its fields once, in fields(): wire
// name, kind (which says the JSON type, the limit and the normalisation), and the member it
// fills. The codec validates a call's payload against exactly these fields and hands the server
// a filled struct; the call table of docs/PROTOCOL.md is rendered from the same list. A field
// whose member is std::optional (or a bool flag) may be omitted; any other is required.
#pragma once

#include <QList>
#include <QString>
#include <optional>
#include <tuple>
#include <type_traits>

namespace chalk::protocol {

enum class FieldKind {
    Uuid,       // a new id chosen by the client (a line's): not a uuid -> bad_data
    RoomRef,    // names a room: text that is no uuid names nothing -> no_specified_room
    MessageRef, // names a message: -> no_such_message
    LineRef,    // names a line: -> no_such_line
    UserRef,    // names a user: not a uuid -> bad_data
    UserName,   // one line, 1..Limits::userName characters, trimmed
    RoomName,   // one line, 1..Limits::roomName characters, trimmed
    Body,       // 1..Limits::body characters, newlines allowed, trimmed
    Color,      // #rgb, #rrggbb or #rrggbbaa, stored lower case
    Points,     // [x0,y0,x1,y1,...]: numbers, an even count, at most Limits::pointsPerLine pairs
    Tool,       // "pen" or "eraser"
    Width,      // a number in (0, Limits::widthMax]
    PageLimit,  // a whole number >= 1; above Limits::pageMax clamped
    Flag,       // true or false
    Token,      // a string of at most Limits::token characters
    Password,   // a string of at most Limits::password characters
    LoginName,  // one line, trimmed, Limits::loginNameMin..loginNameMax characters
    AccountPassword, // a string of Limits::passwordMinBytes..passwordMaxBytes UTF-8 bytes
    SearchText,      // one line, trimmed, 0..Limits::userName characters (empty: everything)
    UserPageLimit,   // a whole number >= 1; above Limits::userPageMax clamped
    RoomPageLimit,   // a whole number >= 1; above Limits::roomPageMax clamped
};

template <typename T> inline constexpr bool kIsOptionalField = std::is_same_v<T, bool>;
template <typename T> inline constexpr bool kIsOptionalField<std::optional<T>> = true;

// Whether socket_chat's protocol has the field; ours are additive (docs/PROTOCOL.md marks them).
enum class Origin { Original, Ours };

template <typename Args, typename T> struct Field {
    const char *name;
    FieldKind kind;
    T Args::*member;
    Origin origin;
    static constexpr bool required = !kIsOptionalField<T>;
};

template <typename Args, typename T>
constexpr Field<Args, T> field(const char *name, FieldKind kind, T Args::*member,
                               Origin origin = Origin::Original)
{
    return {name, kind, member, origin};
}

struct NoArgs {
    static constexpr auto fields() { return std::tuple<>(); }
};

// enter_room, delete_room
struct RoomRefArgs {
    QString uuid;
    static constexpr auto fields()
    {
        return std::tuple{field("uuid", FieldKind::RoomRef, &RoomRefArgs::uuid)};
    }
};

// remove_draw_line
struct UserRefArgs {
    QString userUuid;
    static constexpr auto fields()
    {
        return std::tuple{field("user_uuid", FieldKind::UserRef, &UserRefArgs::userUuid)};
    }
};

struct LineRefArgs {
    QString uuid;
    static constexpr auto fields()
    {
        return std::tuple{field("uuid", FieldKind::LineRef, &LineRefArgs::uuid)};
    }
};

struct CreateRoomArgs {
    std::optional<QString> name;  // default: "room-<uuid>"
    std::optional<QString> color; // default: a random colour of the original palette
    static constexpr auto fields()
    {
        return std::tuple{field("name", FieldKind::RoomName, &CreateRoomArgs::name, Origin::Ours),
                          field("color", FieldKind::Color, &CreateRoomArgs::color, Origin::Ours)};
    }
};

struct ChangeColorArgs {
    QString uuid;
    QString color;
    static constexpr auto fields()
    {
        return std::tuple{field("uuid", FieldKind::RoomRef, &ChangeColorArgs::uuid),
                          field("color", FieldKind::Color, &ChangeColorArgs::color)};
    }
};

struct ChangeNameArgs {
    QString uuid;
    QString name;
    static constexpr auto fields()
    {
        return std::tuple{field("uuid", FieldKind::RoomRef, &ChangeNameArgs::uuid),
                          field("name", FieldKind::RoomName, &ChangeNameArgs::name)};
    }
};

struct ChangeUserNameArgs {
    QString name;
    static constexpr auto fields()
    {
        return std::tuple{field("name", FieldKind::UserName, &ChangeUserNameArgs::name)};
    }
};

struct CreateMessageArgs {
    QString body;
    std::optional<QString> replyTo; // ours: a message of the same room this one answers
    static constexpr auto fields()
    {
        return std::tuple{
            field("body", FieldKind::Body, &CreateMessageArgs::body),
            field("reply_to", FieldKind::MessageRef, &CreateMessageArgs::replyTo, Origin::Ours)};
    }
};

// edit_message: the caller's own message gets a new body (the same limits as create_message).
struct EditMessageArgs {
    QString messageUuid;
    QString body;
    static constexpr auto fields()
    {
        return std::tuple{
            field("message_uuid", FieldKind::MessageRef, &EditMessageArgs::messageUuid),
            field("body", FieldKind::Body, &EditMessageArgs::body)};
    }
};

// delete_message
struct MessageRefArgs {
    QString messageUuid;
    static constexpr auto fields()
    {
        return std::tuple{
            field("message_uuid", FieldKind::MessageRef, &MessageRefArgs::messageUuid)};
    }
};

struct ListMessagesArgs {
    std::optional<QString> before; // the oldest message the client has; none: the newest page
    std::optional<int> limit;      // none: Limits::pageDefault
    static constexpr auto fields()
    {
        return std::tuple{
            field("before", FieldKind::MessageRef, &ListMessagesArgs::before, Origin::Ours),
            field("limit", FieldKind::PageLimit, &ListMessagesArgs::limit, Origin::Ours)};
    }
};

// list_rooms: without arguments every room (the original's answer); with `after` or `limit`
// (ours) a page of the rooms after `after` (the last of the previous page), in creation order.
struct ListRoomsArgs {
    std::optional<QString> after;
    std::optional<int> limit; // none (with `after`): Limits::roomPageDefault
    bool paged() const { return after || limit; }
    static constexpr auto fields()
    {
        using A = ListRoomsArgs;
        return std::tuple{field("after", FieldKind::RoomRef, &A::after, Origin::Ours),
                          field("limit", FieldKind::RoomPageLimit, &A::limit, Origin::Ours)};
    }
};

struct ChangeDrawLineArgs {
    QString uuid;
    QList<double> points;
    QString color;
    QString tool;
    std::optional<double> width;
    bool append = false; // add the points to the line's instead of replacing them
    static constexpr auto fields()
    {
        using A = ChangeDrawLineArgs;
        return std::tuple{field("uuid", FieldKind::Uuid, &A::uuid),
                          field("points", FieldKind::Points, &A::points),
                          field("color", FieldKind::Color, &A::color),
                          field("tool", FieldKind::Tool, &A::tool),
                          field("width", FieldKind::Width, &A::width, Origin::Ours),
                          field("append", FieldKind::Flag, &A::append, Origin::Ours)};
    }
};

struct ResumeArgs {
    QString token;
    static constexpr auto fields()
    {
        return std::tuple{field("token", FieldKind::Token, &ResumeArgs::token)};
    }
};

struct AuthenticateArgs {
    QString password;
    static constexpr auto fields()
    {
        return std::tuple{field("password", FieldKind::Password, &AuthenticateArgs::password)};
    }
};

// register, login. The name is compared by nameKey() (NFKC + case fold); the password is
// never logged nor echoed (a field error names the field, not its value).
struct AccountArgs {
    QString name;
    QString password;
    static constexpr auto fields()
    {
        return std::tuple{field("name", FieldKind::LoginName, &AccountArgs::name),
                          field("password", FieldKind::AccountPassword, &AccountArgs::password)};
    }
};

struct ChangePasswordArgs {
    QString oldPassword;
    QString newPassword;
    static constexpr auto fields()
    {
        return std::tuple{
            field("old", FieldKind::Password, &ChangePasswordArgs::oldPassword),
            field("new", FieldKind::AccountPassword, &ChangePasswordArgs::newPassword)};
    }
};

// list_users: a page of the users whose names contain `query` (by searchKey()), in the order
// of their search keys, after the user `after` (the last of the previous page).
struct ListUsersArgs {
    std::optional<QString> query;
    std::optional<QString> after;
    std::optional<int> limit; // none: Limits::userPageDefault
    static constexpr auto fields()
    {
        using A = ListUsersArgs;
        return std::tuple{field("query", FieldKind::SearchText, &A::query, Origin::Ours),
                          field("after", FieldKind::UserRef, &A::after, Origin::Ours),
                          field("limit", FieldKind::UserPageLimit, &A::limit, Origin::Ours)};
    }
};

// mark_read: the caller has read `room_uuid` up to and including `message_uuid`.
struct MarkReadArgs {
    QString roomUuid;
    QString messageUuid;
    static constexpr auto fields()
    {
        return std::tuple{field("room_uuid", FieldKind::RoomRef, &MarkReadArgs::roomUuid),
                          field("message_uuid", FieldKind::MessageRef, &MarkReadArgs::messageUuid)};
    }
};

} // namespace chalk::protocol
