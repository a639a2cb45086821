// Notification sounds: one for a message in the open room, another for a message in another
// room. Mutable. Without an audio output device it stays silent and says so once in the log
// (category chalk.ui) instead of failing.
#pragma once

#include <QElapsedTimer>
#include <QObject>

class QSoundEffect;

namespace chalk::ui {

class SoundPlayer : public QObject {
    Q_OBJECT
public:
    explicit SoundPlayer(QObject *parent = nullptr);

    bool isMuted() const { return m_muted; }
    bool isAvailable() const { return m_available; }
    // Looks for an audio output now (once; later calls answer from memory) and returns
    // whether sounds can play. The window asks at start so its mute button tells the truth.
    bool probe() { return ensureEffects(); }
    // How many sounds were asked for while not muted (tests; counted even without a device).
    int messageSounds() const { return m_messageCount; }
    int otherRoomSounds() const { return m_otherCount; }

signals:
    // Sounds turned out not to be playable (no device, or the sound would not load).
    void unavailable();

public slots:
    void setMuted(bool muted);
    void playMessage();
    void playOtherRoom();

private:
    bool ensureEffects();
    void play(QSoundEffect *effect);

    bool m_muted = false;
    bool m_available = true;
    bool m_checked = false;
    QSoundEffect *m_message = nullptr;
    QSoundEffect *m_other = nullptr;
    QElapsedTimer m_lastPlayed; // a burst of messages plays one sound, not fifty
    int m_messageCount = 0;
    int m_otherCount = 0;
};

} // namespace chalk::ui
