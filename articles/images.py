"""Featured images: upload checks and the resized renditions pages use."""


def generate_renditions(image):
    # Placeholder: renditions land in the next commit.
    return []
