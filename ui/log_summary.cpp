#include "log_summary.h"

#include "protocol/answers.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace chalk::ui {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("LogSummary", text, nullptr, n);
}

QString str(const QJsonObject &o, const char *key)
{
    // Peer text, one line and bounded: the table shows a summary, the details the whole frame.
    return o.value(QLatin1String(key)).toString().simplified().left(120);
}

QString quoted(const QString &text)
{
    return QStringLiteral("“%1”").arg(text);
}

struct Context {
    const QJsonObject &payload;
    QJsonObject object; // the payload's object (message, room, user, line…), any shape
    const RoomNameLookup &lookup;

    // A room by name: the object's own, else looked up, else "a room".
    QString room(const QString &uuid, const QString &known = {}) const
    {
        QString name = known.simplified().left(80);
        if (name.isEmpty() && lookup && !uuid.isEmpty())
            name = lookup(uuid).simplified().left(80);
        return name.isEmpty() ? tr("a room") : quoted(name);
    }
    QString objectRoom() const { return room(str(object, "uuid"), str(object, "name")); }
    QString userName(const QJsonObject &user) const
    {
        const QString name = str(user, "name");
        return name.isEmpty() ? tr("Someone") : name;
    }
};

QString sentCall(const QString &name, const Context &c)
{
    const QJsonObject &p = c.payload;
    if (name == QLatin1String("create_room"))
        return tr("You create the room %1").arg(quoted(str(p, "name")));
    if (name == QLatin1String("enter_room"))
        return tr("You enter %1").arg(c.room(str(p, "uuid")));
    if (name == QLatin1String("leave_room"))
        return tr("You leave the room");
    if (name == QLatin1String("delete_room"))
        return tr("You delete %1").arg(c.room(str(p, "uuid")));
    if (name == QLatin1String("change_name"))
        return tr("You rename %1 to %2").arg(c.room(str(p, "uuid")), quoted(str(p, "name")));
    if (name == QLatin1String("change_color"))
        return tr("You recolour %1 to %2").arg(c.room(str(p, "uuid")), str(p, "color"));
    if (name == QLatin1String("change_user_name"))
        return tr("You take the name %1").arg(quoted(str(p, "name")));
    if (name == QLatin1String("create_message"))
        return tr("You write: %1").arg(str(p, "body"));
    if (name == QLatin1String("list_messages"))
        return tr("You ask for earlier messages");
    if (name == QLatin1String("list_rooms"))
        return tr("You ask for the rooms");
    if (name == QLatin1String("change_draw_line"))
        return tr("You draw");
    if (name == QLatin1String("remove_draw_line"))
        return tr("You take back a stroke");
    if (name == QLatin1String("reset_drawing"))
        return tr("You clear the board");
    if (name == QLatin1String("get_drawing"))
        return tr("You ask for the board");
    if (name == QLatin1String("typing"))
        return tr("You are typing");
    if (name == QLatin1String("resume"))
        return tr("You pick up your earlier session");
    if (name == QLatin1String("authenticate"))
        return tr("You give the server's password");
    if (name == QLatin1String("register"))
        return tr("You create the account %1").arg(quoted(str(p, "name")));
    if (name == QLatin1String("login"))
        return tr("You sign in as %1").arg(quoted(str(p, "name")));
    if (name == QLatin1String("logout"))
        return tr("You sign out");
    if (name == QLatin1String("change_password"))
        return tr("You change your password");
    if (name == QLatin1String("open_direct"))
        return tr("You open a direct conversation");
    if (name == QLatin1String("block_user"))
        return tr("You block a user");
    if (name == QLatin1String("unblock_user"))
        return tr("You unblock a user");
    return {};
}

QString receivedResult(const QString &name, const Context &c)
{
    const QJsonObject &o = c.object;
    if (name == QLatin1String("message_created")) {
        const QJsonObject user = o.value(QLatin1String("user")).toObject();
        return tr("%1 in %2: %3")
            .arg(c.userName(user), c.room(str(o, "room_uuid")), str(o, "body"));
    }
    if (name == QLatin1String("messages_listed")) {
        const int n = int(c.payload.value(QLatin1String("list")).toArray().size());
        return tr("%n earlier message(s)", n);
    }
    if (name == QLatin1String("rooms_listed")) {
        const int n = int(c.payload.value(QLatin1String("list")).toArray().size());
        return tr("%n room(s) on the server", n);
    }
    if (name == QLatin1String("room_created"))
        return tr("The room %1 was created").arg(c.objectRoom());
    if (name == QLatin1String("room_entered"))
        return tr("You entered %1").arg(c.objectRoom());
    if (name == QLatin1String("room_left"))
        return tr("You left the room");
    if (name == QLatin1String("room_deleted"))
        return tr("%1 was deleted").arg(c.objectRoom());
    if (name == QLatin1String("room_changed")) {
        const int n = int(o.value(QLatin1String("users")).toArray().size());
        return tr("%1 now has %n member(s)", n).arg(c.objectRoom());
    }
    if (name == QLatin1String("user_created"))
        return tr("You are %1").arg(c.userName(o));
    if (name == QLatin1String("user_changed"))
        return tr("You are now %1").arg(c.userName(o));
    if (name == QLatin1String("user_typing"))
        return tr("%1 is typing").arg(c.userName(o));
    if (name == QLatin1String("drawing_got")) {
        const QJsonObject by = c.payload.value(QLatin1String("cleared_by")).toObject();
        if (!by.isEmpty())
            return tr("%1 cleared the board").arg(c.userName(by));
        const int n = int(o.value(QLatin1String("lines")).toArray().size());
        return tr("The board, with %n stroke(s)", n);
    }
    if (name == QLatin1String("draw_line_changed"))
        return tr("A stroke is drawn");
    if (name == QLatin1String("draw_line_removed"))
        return tr("A stroke was taken back");
    if (name == QLatin1String("resumed"))
        return tr("Your earlier session continues");
    if (name == QLatin1String("authenticated"))
        return tr("The server accepted its password");
    if (name == QLatin1String("registered"))
        return tr("Your account was created");
    if (name == QLatin1String("logged_in"))
        return tr("You are signed in");
    if (name == QLatin1String("logged_out"))
        return tr("You are signed out");
    if (name == QLatin1String("password_changed"))
        return tr("Your password was changed");
    if (name == QLatin1String("user_blocked"))
        return tr("The user is blocked");
    if (name == QLatin1String("user_unblocked"))
        return tr("The user is unblocked");
    return {};
}

} // namespace

QString logSummary(bool sent, const QString &type, const QString &name, const QJsonObject &payload,
                   const RoomNameLookup &roomName)
{
    const Context c{payload, protocol::payloadObject(payload), roomName};
    if (type == QLatin1String("error")) {
        // The statement's name is the error's; `call` names what was refused.
        const QString detail = str(payload, "detail");
        const QString call = str(payload, "call");
        const QString what =
            call.isEmpty() ? tr("Refused (%1)").arg(name) : tr("%1 refused (%2)").arg(call, name);
        return detail.isEmpty() ? what : what + QStringLiteral(": ") + detail;
    }
    const QString line = sent ? sentCall(name, c) : receivedResult(name, c);
    return line.isEmpty() ? name : line;
}

} // namespace chalk::ui
