// Who is typing in the current room: each name expires 4 s after its last typing notice.
#pragma once

#include "protocol/objects.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>

namespace chalk::client {

class ChatClient;

class TypingTracker : public QObject {
    Q_OBJECT
public:
    explicit TypingTracker(ChatClient *client = nullptr,
                           std::chrono::milliseconds expiry = std::chrono::seconds(4),
                           QObject *parent = nullptr);

    QStringList names() const; // in the order they started typing
    // "alice is typing…", "alice and bob are typing…", "3 people are typing…", or empty.
    QString text() const;

public slots:
    void noteTyping(const chalk::protocol::User &user);        // ignored for the own user
    void noteMessage(const chalk::protocol::Message &message); // a sent message ends typing
    void clear();

signals:
    void changed();

private:
    void expire();
    struct Typist {
        QString uuid;
        QString name;
        QDateTime until;
    };
    QPointer<ChatClient> m_client;
    std::chrono::milliseconds m_expiry;
    QList<Typist> m_typists;
    QTimer m_timer;
};

} // namespace chalk::client
