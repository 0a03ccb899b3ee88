/**
 * Play and pause: each animation frame advances the cursor by the real time elapsed × speed
 * (virtual ms per real ms). Frame times are kept for the benchmark (its 60 fps goal).
 */
export class Player {
  playing = false;
  speed = 1;
  /** Real ms between the frames of the last play, most recent last (bounded). */
  readonly frames: number[] = [];
  private last = 0;

  constructor(
    private readonly advance: (virtualMs: number) => boolean,
    private readonly button: HTMLButtonElement,
  ) {}

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.frames.length = 0;
    this.last = performance.now();
    this.button.textContent = "❚❚ pause";
    requestAnimationFrame(this.tick);
  }

  pause(): void {
    this.playing = false;
    this.button.textContent = "▶ play";
  }

  private readonly tick = (now: number): void => {
    if (!this.playing) return;
    const dt = now - this.last;
    this.last = now;
    if (this.frames.length < 10_000) this.frames.push(dt);
    if (this.advance(dt * this.speed)) requestAnimationFrame(this.tick);
    else this.pause();
  };
}
