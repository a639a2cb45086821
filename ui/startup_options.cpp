#include "startup_options.h"

#include "protocol/objects.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace chalk::ui {

std::optional<RoomLink> parseRoomLink(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("chalkroom") || url.host().isEmpty())
        return std::nullopt;
    const QStringList parts = url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() != 2 || parts[0] != QLatin1String("room"))
        return std::nullopt;
    const QString room = protocol::normalizeUuid(parts[1]);
    if (room.isEmpty())
        return std::nullopt;
    QUrl server;
    server.setScheme(QStringLiteral("ws"));
    server.setHost(url.host());
    server.setPort(url.port(9000));
    return RoomLink{server, room};
}

QString makeRoomLink(const QString &host, quint16 port, const QString &roomUuid)
{
    QUrl url;
    url.setScheme(QStringLiteral("chalkroom"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/room/") + roomUuid);
    return url.toString();
}

bool parseListenAddress(const QString &text, QHostAddress *host, quint16 *port)
{
    QString h;
    QString p = text.trimmed();
    const qsizetype colon = p.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        h = p.left(colon);
        p = p.mid(colon + 1);
        if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
            h = h.mid(1, h.size() - 2);
    }
    bool ok = false;
    const uint value = p.toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    QHostAddress address(QHostAddress::LocalHost);
    if (!h.isEmpty()) {
        if (h == QLatin1String("localhost"))
            address = QHostAddress(QHostAddress::LocalHost);
        else if (!address.setAddress(h))
            return false;
    }
    *host = address;
    *port = quint16(value);
    return true;
}

void addStartupOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Chat rooms with a shared drawing board. Without options Chalkroom runs its own "
                "server on 127.0.0.1 and connects to it."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("server"),
                      QCoreApplication::translate("main", "Connect to a remote server instead "
                                                          "of running the embedded one."),
                      QStringLiteral("ws://host:port")});
    parser.addOption({QStringLiteral("listen"),
                      QCoreApplication::translate("main", "Address of the embedded server "
                                                          "(e.g. 0.0.0.0:9000 to let others "
                                                          "join)."),
                      QStringLiteral("host:port")});
    parser.addOption({QStringLiteral("storage"),
                      QCoreApplication::translate("main", "Storage of the embedded server: "
                                                          "sqlite:PATH or memory."),
                      QStringLiteral("spec")});
    parser.addOption({QStringLiteral("room"),
                      QCoreApplication::translate("main", "Open this room at start."),
                      QStringLiteral("uuid")});
    parser.addPositionalArgument(
        QStringLiteral("link"),
        QCoreApplication::translate("main", "A chalkroom://host:port/room/UUID link to open."),
        QStringLiteral("[link]"));
}

StartupOptions readStartupOptions(const QCommandLineParser &parser)
{
    StartupOptions o;
    o.storage = parser.value(QStringLiteral("storage"));
    if (parser.isSet(QStringLiteral("server"))) {
        const QUrl url(parser.value(QStringLiteral("server")), QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")) ||
            url.host().isEmpty())
            o.error = QCoreApplication::translate("main", "--server wants ws://host:port");
        o.server = url;
    }
    if (parser.isSet(QStringLiteral("listen"))) {
        if (!parseListenAddress(parser.value(QStringLiteral("listen")), &o.listenHost,
                                &o.listenPort))
            o.error = QCoreApplication::translate("main", "--listen wants HOST:PORT");
        o.listenGiven = true;
    }
    if (parser.isSet(QStringLiteral("room"))) {
        o.room = protocol::normalizeUuid(parser.value(QStringLiteral("room")));
        if (o.room.isEmpty())
            o.error = QCoreApplication::translate("main", "--room wants a room UUID");
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        o.error = QCoreApplication::translate("main", "At most one link may be given");
    if (!positional.isEmpty()) {
        if (const auto link = parseRoomLink(positional.first())) {
            o.room = link->room;
            // The link names its server; an explicit --server wins.
            if (o.server.isEmpty())
                o.server = link->server;
        } else {
            o.error = QCoreApplication::translate(
                "main", "Not a link of the form chalkroom://host:port/room/UUID");
        }
    }
    return o;
}

} // namespace chalk::ui
