// Shows the BoardScene scaled to fit (aspect kept), zoomed in on demand (Ctrl+wheel around the
// pointer, panned with the middle button or the wheel), and turns mouse strokes into model
// strokes in logical canvas coordinates.
#pragma once

#include <QGraphicsView>
#include <QPointer>
#include <optional>

namespace chalk::board {
class BoardModel;
}

namespace chalk::ui {

class BoardScene;

class BoardView : public QGraphicsView {
    Q_OBJECT
public:
    explicit BoardView(BoardScene *scene, QWidget *parent = nullptr);

    BoardScene *boardScene() const { return m_scene; }

    void setTool(const QString &tool) { m_tool = tool; }
    QString tool() const { return m_tool; }
    void setInkColor(const QString &color) { m_color = color; }
    QString inkColor() const { return m_color; }
    void setStrokeWidth(double width) { m_width = width; }
    double strokeWidth() const { return m_width; }

    // The logical point under a viewport position, kept on the canvas.
    QPointF canvasPoint(QPointF viewportPos) const;

    // Zoom relative to the whole board in view: 1 ("fit") up to maxZoom(). The canvas point
    // under `anchor` (a viewport position; the centre by default) stays where it is.
    double zoom() const { return m_zoom; }
    static constexpr double maxZoom() { return 8; }
    void setZoom(double zoom, std::optional<QPointF> anchor = std::nullopt);
    void zoomIn() { setZoom(m_zoom * kZoomStep); }
    void zoomOut() { setZoom(m_zoom / kZoomStep); }
    void zoomToFit() { setZoom(1); }

signals:
    void zoomChanged(double zoom);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    static constexpr double kZoomStep = 1.25;
    void applyTransform();

    BoardScene *m_scene;
    QString m_tool = QStringLiteral("pen");
    QString m_color = QStringLiteral("#000000cc");
    double m_width = 5;
    bool m_drawing = false;
    double m_zoom = 1;
    std::optional<QPointF> m_panFrom; // the middle button's last position while panning
};

} // namespace chalk::ui
