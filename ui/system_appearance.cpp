#include "system_appearance.h"

#include "ui_logging.h"

#include <QGuiApplication>
#include <optional>

#ifdef CHALK_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVariant>
#endif

namespace chalk::ui {

namespace {

// The portal's answer: 1 prefers dark, 2 prefers light, 0 no preference; nullopt: no portal.
std::optional<uint> portalColorScheme()
{
#ifdef CHALK_HAVE_DBUS
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return std::nullopt;
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.portal.Desktop"),
        QStringLiteral("/org/freedesktop/portal/desktop"),
        QStringLiteral("org.freedesktop.portal.Settings"), QStringLiteral("Read"));
    call << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme");
    // At a first start only; a portal that does not answer quickly is treated as absent.
    const QDBusMessage reply = bus.call(call, QDBus::Block, 300);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return std::nullopt;
    QVariant v = reply.arguments().constFirst();
    // Read() answers a variant holding a variant.
    while (v.canConvert<QDBusVariant>())
        v = v.value<QDBusVariant>().variant();
    bool ok = false;
    const uint scheme = v.toUInt(&ok);
    if (!ok)
        return std::nullopt;
    return scheme;
#else
    return std::nullopt;
#endif
}

} // namespace

bool paletteIsDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() <
           palette.color(QPalette::WindowText).lightness();
}

bool systemPrefersDark()
{
    if (const auto scheme = portalColorScheme(); scheme && *scheme != 0) {
        qCInfo(lcUi) << "desktop portal colour scheme:" << (*scheme == 1 ? "dark" : "light");
        return *scheme == 1;
    }
    return paletteIsDark(QGuiApplication::palette());
}

} // namespace chalk::ui
