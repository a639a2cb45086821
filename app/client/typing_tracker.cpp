#include "typing_tracker.h"

#include "chat_client.h"

namespace chalk::client {

TypingTracker::TypingTracker(ChatClient *client, std::chrono::milliseconds expiry, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_expiry(expiry)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &TypingTracker::expire);
    if (!client)
        return;
    connect(client, &ChatClient::userTyping, this, &TypingTracker::noteTyping);
    connect(client, &ChatClient::messageCreated, this, &TypingTracker::noteMessage);
    // Another room, or no link: nobody known to be typing any more.
    connect(client, &ChatClient::roomEntered, this, &TypingTracker::clear);
    connect(client, &ChatClient::roomLeft, this, &TypingTracker::clear);
    connect(client, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state != ChatClient::State::Connected)
            clear();
    });
}

QStringList TypingTracker::names() const
{
    QStringList out;
    for (const Typist &t : m_typists)
        out << t.name;
    return out;
}

QString TypingTracker::text() const
{
    switch (m_typists.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(m_typists[0].name);
    case 2:
        return tr("%1 and %2 are typing…").arg(m_typists[0].name, m_typists[1].name);
    default:
        return tr("%n people are typing…", nullptr, int(m_typists.size()));
    }
}

void TypingTracker::noteTyping(const protocol::User &user)
{
    if (user.uuid.isEmpty() || (m_client && user.uuid == m_client->user().uuid))
        return;
    if (m_client && !user.roomUuid.isEmpty() && user.roomUuid != m_client->currentRoomUuid())
        return;
    const QDateTime until = QDateTime::currentDateTimeUtc().addMSecs(m_expiry.count());
    for (Typist &t : m_typists) {
        if (t.uuid == user.uuid) {
            t.until = until;
            const bool renamed = t.name != user.name;
            t.name = user.name;
            if (renamed)
                emit changed();
            expire(); // re-arms the timer
            return;
        }
    }
    m_typists.append(Typist{user.uuid, user.name, until});
    emit changed();
    expire();
}

void TypingTracker::noteMessage(const protocol::Message &message)
{
    for (qsizetype i = 0; i < m_typists.size(); ++i) {
        if (m_typists[i].uuid == message.user.uuid) {
            m_typists.removeAt(i);
            emit changed();
            expire();
            return;
        }
    }
}

void TypingTracker::clear()
{
    m_timer.stop();
    if (m_typists.isEmpty())
        return;
    m_typists.clear();
    emit changed();
}

void TypingTracker::expire()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto before = m_typists.size();
    m_typists.removeIf([&](const Typist &t) { return t.until <= now; });
    if (m_typists.size() != before)
        emit changed();
    m_timer.stop();
    if (m_typists.isEmpty())
        return;
    QDateTime next = m_typists.first().until;
    for (const Typist &t : std::as_const(m_typists))
        next = std::min(next, t.until);
    m_timer.start(int(std::max<qint64>(1, now.msecsTo(next))));
}

} // namespace chalk::client
