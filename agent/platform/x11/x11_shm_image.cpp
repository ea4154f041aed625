// XShm image lifetime and partial reads.
#include "platform/x11/x11_shm_image.h"

#include <X11/Xutil.h>

#include <sys/ipc.h>
#include <sys/shm.h>

#include "platform/x11/x11_display.h"

namespace guru::platform::x11 {

std::unique_ptr<ShmImage> ShmImage::create(Display* display, int width, int height) {
    if (!XShmQueryExtension(display)) return nullptr;
    std::unique_ptr<ShmImage> self(new ShmImage(display));  // private constructor
    int screen = DefaultScreen(display);
    Visual* visual = DefaultVisual(display, screen);
    int depth = DefaultDepth(display, screen);
    self->image_ = XShmCreateImage(display, visual, static_cast<unsigned>(depth), ZPixmap,
                                   nullptr, &self->info_, static_cast<unsigned>(width),
                                   static_cast<unsigned>(height));
    if (!self->image_ || self->image_->bits_per_pixel != 32) return nullptr;
    self->info_.shmid = shmget(IPC_PRIVATE,
                               static_cast<std::size_t>(self->image_->bytes_per_line) * height,
                               IPC_CREAT | 0600);
    if (self->info_.shmid < 0) return nullptr;
    void* addr = shmat(self->info_.shmid, nullptr, 0);
    if (addr == reinterpret_cast<void*>(-1)) return nullptr;
    self->info_.shmaddr = self->image_->data = static_cast<char*>(addr);
    self->info_.readOnly = False;
    ErrorTrap trap(display);
    XShmAttach(display, &self->info_);
    if (trap.failed()) return nullptr;
    self->attached_ = true;
    // Mark for removal now: the segment disappears once both sides detach, even on a crash.
    shmctl(self->info_.shmid, IPC_RMID, nullptr);
    return self;
}

ShmImage::~ShmImage() {
    if (attached_) {
        XShmDetach(display_, &info_);
        XSync(display_, False);
    }
    if (image_) {
        image_->data = nullptr;  // the segment is not malloc'd; XDestroyImage must not free it
        XDestroyImage(image_);
    }
    if (info_.shmaddr) shmdt(info_.shmaddr);
    if (info_.shmid >= 0 && !attached_) shmctl(info_.shmid, IPC_RMID, nullptr);
}

std::optional<ImageView> ShmImage::read(Drawable drawable, const Rect& r) {
    if (r.empty() || r.width > image_->width || r.height > image_->height) return std::nullopt;
    // XShmGetImage reads image->width × image->height; narrow the header for this call.
    const int fullWidth = image_->width, fullHeight = image_->height;
    image_->width = r.width;
    image_->height = r.height;
    ErrorTrap trap(display_);
    Bool ok = XShmGetImage(display_, drawable, image_, r.x, r.y, AllPlanes);
    image_->width = fullWidth;
    image_->height = fullHeight;
    if (!ok || trap.failed()) return std::nullopt;
    return ImageView{reinterpret_cast<const std::byte*>(image_->data), r.width, r.height,
                     static_cast<std::size_t>(r.width) * kBytesPerPixel};
}

}  // namespace guru::platform::x11
