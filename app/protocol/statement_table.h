// THE statement table: one row per call, result and error of the protocol. Everything else is
// generated from these rows: the enums and names (statements.h), each call's typed arguments
// and their validation (call_args.h, codec.cpp), the server's dispatch (one handler overload
// per Request<Call>, a missing one does not compile), the client's decoding (answers.h: one
// typed Answer<Result> per result) and the call table of docs/PROTOCOL.md (statement_doc.cpp,
// checked by tst_protocol_doc). docs/ARCHITECTURE.md shows how to add a call.
//
// No includes on purpose: the rows are macros, expanded where their types are known.
#pragma once

// X(Enum, "wire_name", original, Needs, Args, "answer to the caller", "sent to others")
//   original: part of socket_chat's protocol (an original client may send it).
//   Needs: Nothing (allowed before the password is given), Admitted (after the password, before
//   an identity: the account calls), Identity, or Room (answered with no_selected_room
//   centrally when the caller is in no room).
//   Args: the typed arguments (call_args.h), validated from the fields they declare.
#define CHALK_CALLS(X)                                                                             \
    X(CreateRoom, "create_room", true, Identity, CreateRoomArgs, "— (receives the broadcast)",     \
      "`room_created {object: room}` to every connection")                                         \
    X(EnterRoom, "enter_room", true, Identity, RoomRefArgs,                                        \
      "`room_entered` (**ours:** `{object: room}`), then `messages_listed` (newest page), then "   \
      "`drawing_got`",                                                                             \
      "`room_changed` (coalesced, see below)")                                                     \
    X(LeaveRoom, "leave_room", true, Identity, NoArgs, "`room_left` (**ours:** `{object: room}`)", \
      "`room_changed`")                                                                            \
    X(DeleteRoom, "delete_room", true, Identity, RoomRefArgs, "— (receives the broadcast)",        \
      "`room_deleted {object: room}` to every connection")                                         \
    X(ListRooms, "list_rooms", true, Identity, ListRoomsArgs,                                      \
      "`rooms_listed {list}` (**ours**, paged: `{list, has_more, after}`)", "")                    \
    X(ChangeColor, "change_color", true, Identity, ChangeColorArgs, "—", "`room_changed`")         \
    X(ChangeName, "change_name", true, Identity, ChangeNameArgs, "—", "`room_changed`")            \
    X(ChangeUserName, "change_user_name", true, Identity, ChangeUserNameArgs,                      \
      "`user_changed {object: user}`", "`room_changed` of the user's room")                        \
    X(CreateMessage, "create_message", true, Room, CreateMessageArgs,                              \
      "`message_created {object: message}` (with `client_id`)",                                    \
      "`message_created` to the room's members")                                                   \
    X(ListMessages, "list_messages", true, Room, ListMessagesArgs,                                 \
      "`messages_listed {list, has_more, before}`", "")                                            \
    X(ChangeDrawLine, "change_draw_line", true, Room, ChangeDrawLineArgs,                          \
      "— (receives the broadcast)", "`draw_line_changed {object: line}` to the room's members")    \
    X(GetDrawing, "get_drawing", true, Room, NoArgs, "`drawing_got {object: drawing}`", "")        \
    X(ResetDrawing, "reset_drawing", true, Room, NoArgs, "`drawing_got` (empty)",                  \
      "`drawing_got` (empty) to the room's members")                                               \
    X(Typing, "typing", false, Room, NoArgs, "—",                                                  \
      "`user_typing {object: user}` to the other "                                                 \
      "members")                                                                                   \
    X(RemoveDrawLine, "remove_draw_line", false, Room, LineRefArgs, "—",                           \
      "`draw_line_removed {uuid, object: line}` to the members")                                   \
    X(Resume, "resume", false, Admitted, ResumeArgs,                                               \
      "`resumed {object: user}` (then enters the user's last room, if it still exists)", "")       \
    X(Authenticate, "authenticate", false, Nothing, AuthenticateArgs,                              \
      "`authenticated`, then `user_created` and `rooms_listed`", "")                               \
    X(Register, "register", false, Admitted, AccountArgs,                                          \
      "`registered {object: user, token}` (the caller's uuid, name and history kept; a new "       \
      "token for this device), then `rooms_listed` if it had no identity yet",                     \
      "`room_changed` of the user's room")                                                         \
    X(Login, "login", false, Admitted, AccountArgs,                                                \
      "`logged_in {object: user, token}` (the account's uuid on every device; a new token for "    \
      "this device), then `rooms_listed`",                                                         \
      "`room_changed` of the room the connection leaves")                                          \
    X(Logout, "logout", false, Identity, NoArgs,                                                   \
      "`logged_out` (this device's token revoked), then a new anonymous `user_created` and "       \
      "`rooms_listed` (`--accounts optional`)",                                                    \
      "`room_changed` of the room the connection leaves")                                          \
    X(ChangePassword, "change_password", false, Identity, ChangePasswordArgs,                      \
      "`password_changed` (every other device's token revoked)", "")                               \
    X(OpenDirect, "open_direct", false, Identity, UserRefArgs,                                     \
      "as `enter_room`, into the one direct conversation of the caller and that user (created "    \
      "the first time: `room_created` to the two of them first)",                                  \
      "`room_changed` to the two members only")                                                    \
    X(BlockUser, "block_user", false, Identity, UserRefArgs,                                       \
      "`user_blocked {user_uuid}`: that user can no longer open or write in a direct "             \
      "conversation with the caller",                                                              \
      "")                                                                                          \
    X(UnblockUser, "unblock_user", false, Identity, UserRefArgs, "`user_unblocked {user_uuid}`",   \
      "")                                                                                          \
    X(ListUsers, "list_users", false, Identity, ListUsersArgs,                                     \
      "`users_listed {list: [{uuid, name, registered, online, last_seen}], has_more}`, ordered "   \
      "by name (search key), then uuid",                                                           \
      "")                                                                                          \
    X(MarkRead, "mark_read", false, Identity, MarkReadArgs,                                        \
      "`unread_changed {room_uuid, unread}`: the caller's read marker of that room moves forward " \
      "to the message (never back); `unread` counts the others' messages after it",                \
      "`unread_changed` to the caller's other connections (its other devices)")                   \
    X(EditMessage, "edit_message", false, Identity, EditMessageArgs,                               \
      "`message_changed {object: message}` (with `edited_at` and `client_id`): the caller's own "  \
      "message, in a room it may see, not deleted",                                                \
      "`message_changed` to the members of the message's room")                                    \
    X(DeleteMessage, "delete_message", false, Identity, MessageRefArgs,                            \
      "`message_deleted {room_uuid, message_uuid}`: the caller's own message becomes a tombstone " \
      "(again for one deleted before: a resend is harmless)",                                      \
      "`message_deleted` to the members of the message's room")

// X(Enum, "wire_name", original, Payload) -- Payload: the typed fields a client reads (answers.h).
#define CHALK_RESULTS(X)                                                                           \
    X(UserCreated, "user_created", true, UserPayload)                                              \
    X(RoomsListed, "rooms_listed", true, RoomListPayload)                                          \
    X(RoomCreated, "room_created", true, RoomPayload)                                              \
    X(RoomEntered, "room_entered", true, RoomPayload)                                              \
    X(RoomLeft, "room_left", true, RoomPayload)                                                    \
    X(RoomDeleted, "room_deleted", true, RoomPayload)                                              \
    X(RoomChanged, "room_changed", true, RoomPayload)                                              \
    X(UserChanged, "user_changed", true, UserPayload)                                              \
    X(MessageCreated, "message_created", true, MessagePayload)                                     \
    X(MessagesListed, "messages_listed", true, MessageListPayload)                                 \
    X(DrawingGot, "drawing_got", true, DrawingPayload)                                             \
    X(DrawLineChanged, "draw_line_changed", true, LinePayload)                                     \
    X(UserTyping, "user_typing", false, UserPayload)                                               \
    X(DrawLineRemoved, "draw_line_removed", false, LineRemovedPayload)                             \
    X(Resumed, "resumed", false, UserPayload)                                                      \
    X(Authenticated, "authenticated", false, EmptyPayload)                                         \
    X(Registered, "registered", false, UserPayload)                                                \
    X(LoggedIn, "logged_in", false, UserPayload)                                                   \
    X(LoggedOut, "logged_out", false, EmptyPayload)                                                \
    X(PasswordChanged, "password_changed", false, EmptyPayload)                                    \
    X(UserBlocked, "user_blocked", false, UserRefPayload)                                          \
    X(UserUnblocked, "user_unblocked", false, UserRefPayload)                                      \
    X(UsersListed, "users_listed", false, UserListPayload)                                         \
    X(PresenceChanged, "presence_changed", false, PresencePayload)                                 \
    X(UnreadChanged, "unread_changed", false, UnreadPayload)                                       \
    X(MessageChanged, "message_changed", false, MessagePayload)                                    \
    X(MessageDeleted, "message_deleted", false, MessageDeletedPayload)

// X(Enum, "wire_name", original)
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
    X(StorageFailed, "storage_failed", false)                                                      \
    X(NameTaken, "name_taken", false)                                                              \
    X(BadLogin, "bad_login", false)                                                                \
    X(NotRegistered, "not_registered", false)                                                      \
    X(AlreadyRegistered, "already_registered", false)                                              \
    X(AccountRequired, "account_required", false)                                                  \
    X(AccountsOff, "accounts_off", false)                                                          \
    X(NotAMember, "not_a_member", false)                                                           \
    X(Blocked, "blocked", false)                                                                   \
    X(NoSuchUser, "no_such_user", false)                                                           \
    X(NotYourMessage, "not_your_message", false)                                                   \
    X(AlreadyDeleted, "already_deleted", false)
