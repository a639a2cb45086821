#include "sound_player.h"

#include "ui_logging.h"

#include <QAudioDevice>
#include <QMediaDevices>
#include <QSoundEffect>

namespace chalk::ui {

namespace {
constexpr qint64 kMinGapMs = 400;
}

SoundPlayer::SoundPlayer(QObject *parent)
    : QObject(parent)
{}

void SoundPlayer::setMuted(bool muted)
{
    m_muted = muted;
}

bool SoundPlayer::ensureEffects()
{
    if (m_checked)
        return m_available;
    m_checked = true;
    // Created on first use: no audio backend is touched by a window that never plays a sound.
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        m_available = false;
        qCInfo(lcUi) << "no audio output device: notification sounds are off";
        emit unavailable();
        return false;
    }
    auto make = [this, device](const char *file) {
        auto *effect = new QSoundEffect(device, this);
        effect->setSource(QUrl(QString::fromLatin1(file)));
        effect->setVolume(0.6f);
        connect(effect, &QSoundEffect::statusChanged, this, [this, effect] {
            if (effect->status() == QSoundEffect::Error && m_available) {
                m_available = false;
                qCInfo(lcUi) << "notification sound cannot be played (" << effect->source()
                             << "): sounds are off";
                emit unavailable();
            }
        });
        return effect;
    };
    m_message = make("qrc:/sounds/message.wav");
    m_other = make("qrc:/sounds/other-room.wav");
    return true;
}

void SoundPlayer::play(QSoundEffect *effect)
{
    if (m_lastPlayed.isValid() && m_lastPlayed.elapsed() < kMinGapMs)
        return;
    m_lastPlayed.start();
    if (effect && m_available)
        effect->play();
}

void SoundPlayer::playMessage()
{
    if (m_muted)
        return;
    ++m_messageCount;
    if (ensureEffects())
        play(m_message);
}

void SoundPlayer::playOtherRoom()
{
    if (m_muted)
        return;
    ++m_otherCount;
    if (ensureEffects())
        play(m_other);
}

} // namespace chalk::ui
