// Handlers of the identity calls: the greeting of a new connection, authenticate (the
// server password), resume (a resume token), change_user_name.
#include "broadcaster.h"
#include "call_handlers.h"
#include "connection_policy.h"
#include "logging.h"
#include "tokens.h"

namespace chalk::server {

using namespace chalk::protocol;

QCoro::Task<void> CallHandlers::welcome(SessionPtr s)
{
    const QString uuid = newUuid();
    const QString token = newResumeToken();
    s->becomeUser(User{uuid, QStringLiteral("user-") + uuid, {}}, hashToken(token));
    // Saved before the token is handed out, so a resume with it always finds the user.
    const bool saved = co_await m_storage.saveUser(s->user(), s->tokenHash());
    if (!alive(s))
        co_return;
    if (!saved)
        qCWarning(lcServer) << "could not store a new user; resume will not find it";
    QJsonObject created{{QStringLiteral("object"), s->user().toJson()}};
    if (saved)
        created.insert(QStringLiteral("token"), token);
    // Only now: broadcasts (room_created, room_changed) must not come before user_created.
    s->markAuthenticated();
    s->send(Broadcaster::frame(Result::UserCreated, created));
    s->send(m_rooms.listedFrame());
}

// authenticate
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Authenticate> req)
{
    if (!m_policy.asksPassword() || s->isAuthenticated()) {
        Broadcaster::reply(s, Result::Authenticated, {}, req.clientId);
        co_return;
    }
    if (!m_policy.passwordMatches(req.args.password)) {
        Broadcaster::replyError(s, Error::Unauthorized, QStringLiteral("wrong password"), req,
                                QStringLiteral("password"));
        co_return;
    }
    Broadcaster::reply(s, Result::Authenticated, {}, req.clientId);
    co_await welcome(s);
}

// resume
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Resume> req)
{
    const QByteArray hash = hashToken(req.args.token);
    const auto found = co_await m_storage.userByTokenHash(hash);
    if (!alive(s))
        co_return;
    if (!found) {
        Broadcaster::replyError(s, Error::BadToken, QStringLiteral("unknown resume token"), req,
                                QStringLiteral("token"));
        co_return;
    }
    m_rooms.leave(s);
    s->becomeUser(User{found->uuid, found->name, {}}, hash);
    Broadcaster::reply(s, Result::Resumed, object(s->user().toJson()), req.clientId);
    const RoomPtr r = m_rooms.find(found->roomUuid);
    if (r && !r->deleting)
        co_await enter(s, r, req.clientId);
}

// change_user_name
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ChangeUserName> req)
{
    s->rename(req.args.name);
    Broadcaster::reply(s, Result::UserChanged, object(s->user().toJson()), req.clientId);
    if (!s->roomUuid().isEmpty())
        m_rooms.markChanged(s->roomUuid());
    persistUser(s);
    co_return;
}

void CallHandlers::persistUser(Session *s)
{
    if (s->tokenHash().isEmpty())
        return;
    // Not awaited: the answer does not depend on it, and Storage::flush() waits for it on stop.
    m_storage.saveUser(s->user(), s->tokenHash());
}

} // namespace chalk::server
