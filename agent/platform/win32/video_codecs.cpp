// No video encoder on Windows yet (Media Foundation's H.264 MFT is the candidate): sessions
// send tiles only.
#include "platform/platform.h"

namespace guru::platform {

VideoEncoderFactory videoEncoders() { return {}; }

}  // namespace guru::platform
