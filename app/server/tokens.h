// Resume tokens and password checks. Tokens are never logged; only their hash is stored.
#pragma once

#include <QByteArray>
#include <QString>

namespace chalk::server {

// 256 random bits from the system generator, base64url without padding.
QString newResumeToken();
// SHA-256 of the token's UTF-8 bytes: what storage keeps and looks up.
QByteArray hashToken(const QString &token);
// Compares without an early exit, so the time taken does not tell how much matched.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace chalk::server
