ALTER TYPE "mood" ADD VALUE 'happy';
