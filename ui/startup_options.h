// The desktop app's command line: where to connect (embedded server, --listen, --server) and
// which room to open (--room, or a chalkroom://host:port/room/UUID link).
#pragma once

#include <QHostAddress>
#include <QString>
#include <QUrl>
#include <optional>

class QCommandLineParser;

namespace chalk::ui {

struct StartupOptions {
    QUrl server; // remote server; empty: run the embedded one
    QHostAddress listenHost{QHostAddress::LocalHost};
    quint16 listenPort = 9000;
    bool listenGiven = false; // --listen was given: no fallback to a free port
    QString storage;          // embedded server storage spec; empty: SQLite default
    QString room;             // canonical room uuid to open, or empty
    QString error;            // non-empty: bad arguments
};

struct RoomLink {
    QUrl server; // ws://host:port
    QString room;
};

// "chalkroom://host:port/room/UUID" (port optional, default 9000). nullopt when malformed.
std::optional<RoomLink> parseRoomLink(const QString &text);
QString makeRoomLink(const QString &host, quint16 port, const QString &roomUuid);
// "HOST:PORT", "[v6]:PORT" or "PORT". False when malformed.
bool parseListenAddress(const QString &text, QHostAddress *host, quint16 *port);

void addStartupOptions(QCommandLineParser &parser);
StartupOptions readStartupOptions(const QCommandLineParser &parser);

} // namespace chalk::ui
